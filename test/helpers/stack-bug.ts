import path from 'node:path';
import { fixRecordEventSchema, type FixRecordEvent } from '../../src/review/recorded.ts';
import type { RegressionLocation } from '../../src/review/fix-record-schema.ts';
import type { Layer } from '../../src/schema/common.ts';
import { openStore } from '../../src/store/open.ts';
import type { TaskProject } from './task-project.ts';

/** The file of the embedded stack's app where the callback-500 fault lives. */
export const SIGN_IN_SOURCE = 'stack/app/sign-in.ts';

/**
 * The demo callback regression as a real bug in the stack's code, not an injected fault: the app's
 * callback answers 500 after every code exchange, whatever PACKGATE_STACK_FAULTS says.
 */
export function withCallbackBug(source: string): string {
  const fault = 'if (faults.has(FAULTS.callback500)) {';
  if (!source.includes(fault)) throw new Error(`${SIGN_IN_SOURCE} no longer has "${fault}"`);
  return source.replace(fault, 'if (faults.has(FAULTS.callback500) || "every callback" !== "") {');
}

/** auth-session's browser regression: the sign-in through the IdP into the shell. */
export const BROWSER_REGRESSION: RegressionLocation = {
  pack: 'auth-session',
  spec: 'browser.spec.ts',
  title: 'a user signs in through the IdP and lands in the shell with their identity',
};

/** An auth-session test the callback bug does not break: the IdP's own contract. */
export const IDP_CONTRACT_TEST: RegressionLocation = {
  pack: 'auth-session',
  spec: 'idp-contract.spec.ts',
  title: "authorize accepts the app's registered callback",
};

/**
 * Writes a fix-record event straight into the project's store, as `packgate review record` would
 * (built in parallel; this keeps `review prove`'s tests independent of it). Returns its event id.
 */
export async function recordFixEvent(
  project: TaskProject,
  options: {
    taskId: string;
    regression?: RegressionLocation;
    layer: Layer;
    base: string;
    fix: string;
    skipped?: string;
  },
): Promise<number> {
  const body: FixRecordEvent = fixRecordEventSchema.parse({
    record: {
      task_id: options.taskId,
      root_cause: 'the app answered 500 on every OIDC callback after the code exchange',
      owning_layer: options.layer,
      impact: 'nobody could sign in: every user saw an error page after the IdP',
      proof_command: 'npx playwright test --project=local-browser packs/auth-session/',
      ...(options.regression ? { regression: options.regression } : {}),
      layer_rationale: 'the sign-in is a browser journey through the IdP and the app callback',
      ...(options.skipped ? { skipped_coverage: options.skipped } : { residual_risk: 'none known' }),
    },
    fixCommit: options.fix,
    baseCommit: options.base,
    coverageTask: null,
  });
  const store = await openStore({ kind: 'sqlite', path: path.join(project.dir, '.packgate/queue.db') });
  try {
    return (await store.addEvent(options.taskId, 'fix-record', body, 'tester')).id;
  } finally {
    await store.close();
  }
}
