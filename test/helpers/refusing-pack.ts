/**
 * Files of a pack that declares refusals, for tests of how lint, the README's table and the verdict
 * treat them: one proven by a real refused request, one whose test fails, one whose test skips saying
 * why, one whose test finds it does not apply here, and one proven only at the remote layer, which a
 * local run does not run.
 */
export function refusingPack(id = 'refusing'): Record<string, string> {
  return {
    [`packs/${id}/pack.yaml`]: `id: ${id}
title: ${id}
journey: A journey made up for a test of refusals.
owner: test-lane
required_proof: what it must refuse, it refuses
policy: { dev: blocking, demo: blocking }
lowest_reliable_layer: api
layers: { api: api.spec.ts, remote: remote.spec.ts }
paths:
  me: { base: api, path: /v1/me }
refusals:
  - id: no-session-me
    as: no-session
    action: GET me
    status: 401
    unchanged: no user's data in the body
  - id: made-to-fail
    as: no-session
    action: GET me
    status: [401, 403]
    unchanged: nothing
  - id: skipped-here
    as: expired-session
    action: GET me
    status: 401
    unchanged: nothing
  - id: no-account-here
    as: expired-session
    action: GET me
    status: 401
    unchanged: nothing
  - id: remote-only
    as: foreign-origin
    action: GET me
    status: 403
    unchanged: nothing
`,
    [`packs/${id}/tests.yaml`]: `api.spec.ts:
  - a request without a session is refused
  - a refusal whose test fails
  - a refusal whose test skips
  - a refusal whose test finds it does not apply here
remote.spec.ts:
  - a refusal proven at the remote layer only
`,
    [`packs/${id}/api.spec.ts`]: `import { expect, test } from '../../fixtures/index.ts';
import { notApplicableHere } from '../../fixtures/persona.ts';
import { refuses } from './pack.gen.ts';

test('a request without a session is refused', refuses('no-session-me'), async ({ api, env }) => {
  const response = await api.get(env.urls.api + '/v1/me');
  expect(response.status()).toBe(401);
  expect(await response.text()).not.toContain('ada');
});

test('a refusal whose test fails', refuses('made-to-fail'), async () => {
  expect(200, 'made to fail').toBe(401);
});

test('a refusal whose test skips', refuses('skipped-here'), async () => {
  test.skip(true, 'no expired session can be made here');
});

test('a refusal whose test finds it does not apply here', refuses('no-account-here'), async () => {
  return notApplicableHere('persona grace has no account in environment local');
});
`,
    [`packs/${id}/remote.spec.ts`]: `import { test } from '../../fixtures/index.ts';
import { refuses } from './pack.gen.ts';

test('a refusal proven at the remote layer only', refuses('remote-only'), async () => {});
`,
  };
}
