import { expect, test } from '@playwright/test';
import { conditionsMetadata, conditionsOf } from '../../src/run/run-conditions.ts';

test("a merge's conditions are all of its shards': every fault any injected, plain HTTP if any allowed it", () => {
  // Playwright merges the shards' config metadata key by key (and adds its own keys beside them).
  const merged = {
    actualWorkers: 4,
    ...conditionsMetadata('run-a', { faults: ['traceparent-dropped'], allowHttp: false }),
    ...conditionsMetadata('run-b', { faults: ['callback-500', 'traceparent-dropped'], allowHttp: true }),
  };
  expect(conditionsOf(merged)).toEqual({ faults: ['callback-500', 'traceparent-dropped'], allowHttp: true });
  expect(conditionsOf(conditionsMetadata('run-a', { faults: [], allowHttp: false }))).toEqual({
    faults: [],
    allowHttp: false,
  });
  // Reports written before packgate kept them: nothing to say, the caller falls back to its own env.
  expect(conditionsOf({ actualWorkers: 2 })).toBeUndefined();
});
