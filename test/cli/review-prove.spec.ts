import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { stringify } from 'yaml';
import { recordedProof, regressionProofEventSchema } from '../../src/review/recorded.ts';
import { openStore } from '../../src/store/open.ts';
import type { GateRun } from '../../src/store/queue-schema.ts';
import {
  BROWSER_REGRESSION,
  IDP_CONTRACT_TEST,
  recordFixEvent,
  SIGN_IN_SOURCE,
  withCallbackBug,
} from '../helpers/stack-bug.ts';
import { TaskProject } from '../helpers/task-project.ts';

// These run real gate runs (a stack and a browser each): wrap the run in flock /tmp/packgate-browser.lock.
const TASK = 'BUG-CALLBACK-500';

/** A bug-fix task for the callback regression, started in its worktree. */
async function startBugfixTask(project: TaskProject): Promise<string> {
  const packet = await project.packgate([
    'packet',
    'new',
    '--task-id',
    TASK,
    '--kind',
    'bugfix',
    '--pack',
    'auth-session',
    '--owner-lane',
    'C-ops',
    '--goal',
    'The app accepts the OIDC callback again',
    '--acceptance',
    'the sign-in lands in the shell',
  ]);
  expect(packet.exitCode, packet.output).toBe(0);
  const start = await project.packgate(['task', 'start', TASK, '--session', 'fixer-1']);
  expect(start.exitCode, start.output).toBe(0);
  return `${project.dir}/.packgate/worktrees/${TASK}`;
}

async function proofEvents(project: TaskProject) {
  const store = await openStore({ kind: 'sqlite', path: path.join(project.dir, '.packgate/queue.db') });
  try {
    return { events: await store.events(TASK, 'regression-proof'), latest: await recordedProof(store, TASK), store };
  } finally {
    await store.close();
  }
}

/**
 * Nothing of a proof's scratch worktrees is left: not on disk (the scratch folder the proof made
 * included), not in git's list.
 */
function expectNoScratch(project: TaskProject) {
  expect(fs.existsSync(path.join(project.dir, '.packgate/scratch'))).toBe(false);
  expect(project.git(['worktree', 'list', '--porcelain'])).not.toContain('.packgate/scratch');
}

test.describe('review prove in the repository: the stack bug red at the base, green at the fix', () => {
  test.describe.configure({ mode: 'serial', timeout: 300_000 });
  let project: TaskProject;
  let base: string;
  let fix: string;

  test.beforeAll(async ({}, testInfo) => {
    test.setTimeout(120_000);
    project = await TaskProject.create(testInfo);
    // The project's base carries the bug, committed: the app's callback answers 500 every time.
    const original = project.read(SIGN_IN_SOURCE);
    project.write({ [SIGN_IN_SOURCE]: withCallbackBug(original) });
    project.commitAll('the app: a callback that fails');
    base = project.git(['rev-parse', 'HEAD']).trim();
    const worktree = await startBugfixTask(project);
    project.write({ [SIGN_IN_SOURCE]: original }, worktree);
    project.commitAll('the app: the callback sets the session again', worktree);
    fix = project.git(['rev-parse', 'HEAD'], worktree).trim();
  });

  test('a regression that passes before the fix is refused, naming it; nothing is recorded', async () => {
    await recordFixEvent(project, { taskId: TASK, regression: IDP_CONTRACT_TEST, layer: 'api', base, fix });
    const before = project.storeSnapshot();
    const result = await project.packgate(['review', 'prove', '--task', TASK]);
    expect(result.stderr).toContain(
      "packgate: the regression auth-session › idp-contract.spec.ts › authorize accepts the app's registered callback " +
        'passes before the fix: it does not catch this bug',
    );
    expect(result.exitCode, result.output).toBe(1);
    expect(project.storeSnapshot()).toEqual(before);
    expectNoScratch(project);
  });

  test('the browser regression is red at the base and green at the fix: the proof is recorded with both runs', async () => {
    const recordEvent = await recordFixEvent(project, {
      taskId: TASK,
      regression: BROWSER_REGRESSION,
      layer: 'browser',
      base,
      fix,
    });
    const { result, body } = await project.json<{ ok: boolean; proof: Record<string, unknown> }>([
      'review',
      'prove',
      '--task',
      TASK,
    ]);
    expect(result.exitCode, result.output).toBe(0);
    const proof = regressionProofEventSchema.parse(body.proof);
    expect(proof).toMatchObject({
      regression: BROWSER_REGRESSION,
      layer: 'browser',
      mode: 'repository',
      fixRecordEvent: recordEvent,
      before: { commit: base, verdict: 'BLOCKED', regressionPassed: false, gateRun: null, exitCode: 1 },
      after: { commit: fix, verdict: 'PASS', regressionPassed: true, othersFailed: [], gateRun: null, exitCode: 0 },
    });
    expect(body.proof).toMatchObject({ environment: 'local' });
    // The packs depending on auth-session ran at the fix, and passed.
    expect(body.proof.packs).toEqual(expect.arrayContaining(['auth-session', 'v3-shell']));

    const { events, latest } = await proofEvents(project);
    expect(events).toHaveLength(1);
    expect(latest).toMatchObject({ ...proof, event: events[0].id });
    // Both runs' verdict.json and output log are in the store's blobs, whole.
    const store = await openStore({ kind: 'sqlite', path: path.join(project.dir, '.packgate/queue.db') });
    try {
      for (const run of [proof.before, proof.after]) {
        expect(await store.blobs.verify(run.verdictDigest!)).toEqual({ status: 'ok' });
        expect(await store.blobs.verify(run.outputDigest)).toEqual({ status: 'ok' });
        const verdict = JSON.parse((await store.blobs.get(run.verdictDigest!))!.toString('utf8'));
        expect(verdict.verdict).toBe(run.verdict);
        expect(verdict.projects).toEqual(['local-browser']);
      }
      const log = (await store.blobs.get(proof.before.outputDigest))!.toString('utf8');
      expect(log).toContain('npx playwright test --project=local-browser packs/auth-session/');
      expect(log).toContain('HTTP 500');
    } finally {
      await store.close();
    }
    // No gate run was recorded on the task: the proof's runs are not the task's gate runs.
    const show = await project.json<{ gateRuns: GateRun[] }>(['task', 'show', TASK]);
    expect(show.body.gateRuns).toEqual([]);
    expectNoScratch(project);
  });

  test('an interrupted proof removes its scratch worktree and records nothing', async () => {
    await recordFixEvent(project, { taskId: TASK, regression: BROWSER_REGRESSION, layer: 'browser', base, fix });
    const before = project.storeSnapshot();
    const scratch = path.join(project.dir, '.packgate/scratch');
    const { child, done } = project.temp.start([
      path.join(project.dir, 'bin/packgate.js'),
      'review',
      'prove',
      '--task',
      TASK,
    ]);
    await expect
      .poll(() => fs.existsSync(scratch) && fs.readdirSync(scratch).length > 0, { timeout: 60_000 })
      .toBe(true);
    child.kill('SIGINT');
    const result = await done;
    expect(result.exitCode, result.output).toBe(130);
    expect(project.storeSnapshot()).toEqual(before);
    expectNoScratch(project);
  });
});

test.describe('review prove for a deployed fix: two gate runs recorded on the task', () => {
  test.describe.configure({ mode: 'serial', timeout: 300_000 });
  let project: TaskProject;
  /** `review prove` of a deployed fix, between two gate runs recorded on the task. */
  const proveRuns = (before: number, after: number) => [
    'review',
    'prove',
    '--task',
    TASK,
    '--before-run',
    String(before),
    '--after-run',
    String(after),
  ];

  test.beforeAll(async ({}, testInfo) => {
    test.setTimeout(240_000);
    project = await TaskProject.create(testInfo);
    const worktree = await startBugfixTask(project);
    const head = project.git(['rev-parse', 'HEAD']).trim();
    // #1 red (the deployment's callback fails), #2 green (fixed), #3 red again.
    for (const faults of ['callback-500', '', 'callback-500']) {
      const gate = await project.playwright(['--project=local-browser', 'packs/auth-session/'], worktree, {
        TASK_ID: TASK,
        PACKGATE_STACK_FAULTS: faults,
      });
      expect(gate.exitCode, gate.output).toBe(faults ? 1 : 0);
    }
    await recordFixEvent(project, {
      taskId: TASK,
      regression: BROWSER_REGRESSION,
      layer: 'browser',
      base: head,
      fix: head,
    });
  });

  test('runs in the wrong order or with the wrong pack status are refused, naming them; nothing is recorded', async () => {
    const runs = (await project.json<{ gateRuns: GateRun[] }>(['task', 'show', TASK])).body.gateRuns;
    const [red, green, redAgain] = [...runs].sort((a, b) => a.id - b.id).map(r => r.id);
    const before = project.storeSnapshot();

    const reversed = await project.packgate(proveRuns(green, red));
    expect(reversed.stderr).toContain(`gate run #${red} was recorded before #${green}`);
    expect(reversed.exitCode).toBe(1);

    const stillRed = await project.packgate(proveRuns(red, redAgain));
    expect(stillRed.stderr).toContain(
      `pack auth-session is FAIL in gate run #${redAgain}, not PASS: the run after the fix does not show it fixed`,
    );
    expect(stillRed.stderr).not.toContain('recorded before');
    expect(stillRed.exitCode).toBe(1);

    const unknown = await project.packgate(proveRuns(red, 99));
    expect(unknown.stderr).toContain(
      `--after-run 99: there is no gate run #99 in the queue store: a proof of ${TASK} is one of its own gate runs`,
    );
    expect(unknown.exitCode).toBe(2);
    expect(project.storeSnapshot()).toEqual(before);
  });

  test('the pack red in the earlier run and green in the later one is recorded as a deployment proof', async () => {
    const runs = (await project.json<{ gateRuns: GateRun[] }>(['task', 'show', TASK])).body.gateRuns;
    const [red, green] = [...runs].sort((a, b) => a.id - b.id);
    const { result, body } = await project.json<{ proof: Record<string, unknown> }>(proveRuns(red.id, green.id));
    expect(result.exitCode, result.output).toBe(0);
    const proof = regressionProofEventSchema.parse(body.proof);
    // The green run warns of the task's own release hold: on dev a hold is a warning, not a block.
    expect(proof).toMatchObject({
      mode: 'deployment',
      regression: BROWSER_REGRESSION,
      before: { gateRun: red.id, verdict: 'BLOCKED', regressionPassed: false, verdictDigest: red.verdictDigest },
      after: {
        gateRun: green.id,
        verdict: 'PASS_WITH_WARNINGS',
        regressionPassed: true,
        verdictDigest: green.verdictDigest,
      },
    });
    const { events } = await proofEvents(project);
    expect(events.map(e => e.body)).toEqual([proof]);
  });
});

test.describe('review prove: bad input is exit 2 with nothing written', () => {
  test.describe.configure({ timeout: 120_000 });

  test('an unknown task, a task without a record, a record without a regression, a lone --before-run', async ({}, testInfo) => {
    const project = await TaskProject.create(testInfo);
    await startBugfixTask(project);
    const head = project.git(['rev-parse', 'HEAD']).trim();
    let before = project.storeSnapshot();

    const unknown = await project.json(['review', 'prove', '--task', 'NO-SUCH-TASK']);
    expect(unknown.body).toMatchObject({ ok: false, error: { code: 'TASK_UNKNOWN' } });
    expect(unknown.result.exitCode).toBe(2);

    const noRecord = await project.packgate(['review', 'prove', '--task', TASK]);
    expect(noRecord.stderr).toContain(`task ${TASK} has no bug-fix record, so no regression to prove`);
    expect(noRecord.stderr).toContain('packgate review record');
    expect(noRecord.exitCode).toBe(2);
    expect(project.storeSnapshot()).toEqual(before);

    await recordFixEvent(project, {
      taskId: TASK,
      layer: 'browser',
      base: head,
      fix: head,
      skipped: 'the callback lives in a vendor image no test reaches',
    });
    before = project.storeSnapshot();
    const skipped = await project.packgate(['review', 'prove', '--task', TASK]);
    expect(skipped.stderr).toContain('skips coverage');
    expect(skipped.stderr).toContain('nothing to prove');
    expect(skipped.exitCode).toBe(2);

    const lone = await project.json(['review', 'prove', '--task', TASK, '--before-run', '1']);
    expect(lone.body).toMatchObject({
      ok: false,
      error: {
        code: 'INPUT_INVALID',
        message: '--before-run and --after-run go together: a deployed fix is proven by two gate runs',
      },
    });
    expect(lone.result.exitCode).toBe(2);
    // Before: one run named twice was told "gate run #1 was recorded before #1" (or that it is not the task's).
    const same = await project.packgate(['review', 'prove', '--task', TASK, '--before-run', '1', '--after-run', '#1']);
    expect(same.stderr).toBe(
      'packgate: --before-run and --after-run both name gate run #1: a proof compares a run before the fix with a later one after it\n' +
        "  hint: name the red run before the fix and the green one after it (see `packgate task show <id>` for the task's gate runs)\n",
    );
    expect(same.exitCode).toBe(2);
    // A run number is digits (or #digits): Number() read 0x1 as run 1.
    const hex = await project.packgate(['review', 'prove', '--task', TASK, '--before-run', '0x1', '--after-run', '2']);
    expect(hex.stderr).toBe('packgate: --before-run must be a gate run number, e.g. 3, not "0x1"\n');
    expect(hex.exitCode).toBe(2);
    expect(project.storeSnapshot()).toEqual(before);
    expectNoScratch(project);
  });
});

/**
 * Before: `review prove`, run in the checkout as the README says, judged the regression against the
 * checkout's catalogue, not the fix's: a regression in a spec the fix adds to its pack (recorded, as
 * `review record` checks it at the fix commit) was refused as "does not run <spec> at the api layer",
 * exit 2, telling the author to record again what was right. Now the proof reads the pack as the
 * fix has it and runs the new spec: here, a test that passes without the fix, refused for that.
 * And a refusal names what the task's worktree has not committed, which it ran without (it said nothing).
 */
test('a regression in a spec the fix adds to its pack is proven from the checkout, its pack read as the fix has it', async ({}, testInfo) => {
  test.setTimeout(300_000);
  const project = await TaskProject.create(testInfo);
  const worktree = await startBugfixTask(project);
  const spec = 'callback-regression.spec.ts';
  const title = 'the callback regression the fix adds';
  const packYaml = project.read('packs/auth-session/pack.yaml');
  const manifest = project.read('packs/auth-session/tests.yaml');
  project.write(
    {
      [`packs/auth-session/${spec}`]: `import { SIGNED_OUT, test } from './pack.gen.ts';\n\ntest('${title}', SIGNED_OUT, async () => {});\n`,
      'packs/auth-session/pack.yaml': packYaml.replace(
        '  api: [idp-contract.spec.ts, api.spec.ts]',
        `  api: [idp-contract.spec.ts, api.spec.ts, ${spec}]`,
      ),
      'packs/auth-session/tests.yaml': `${manifest}${spec}:\n  - ${title}\n`,
    },
    worktree,
  );
  project.commitAll('auth-session: a regression of its own spec', worktree);
  project.write({
    'fix.yaml': stringify({
      task_id: TASK,
      root_cause: 'the app answered 500 on every OIDC callback',
      owning_layer: 'api',
      impact: 'nobody could sign in',
      proof_command: `npx playwright test --project=local-api packs/auth-session/${spec}`,
      regression: { pack: 'auth-session', spec, title },
      layer_rationale: 'the callback is answered over HTTP',
      residual_risk: 'none known',
    }),
  });
  const record = await project.packgate(['review', 'record', '--task', TASK, '--file', 'fix.yaml']);
  expect(record.exitCode, record.output).toBe(0);
  // Work left in the task's worktree is no part of the proof: a refusal says so (it was silent).
  project.write({ [SIGN_IN_SOURCE]: `${project.read(SIGN_IN_SOURCE)}// not committed\n` }, worktree);

  const before = project.storeSnapshot();
  const result = await project.packgate(['review', 'prove', '--task', TASK]);
  expect(result.stderr).not.toContain('does not run');
  expect(result.stderr).toContain(
    `packgate: the regression auth-session › ${spec} › ${title} passes before the fix: it does not catch this bug`,
  );
  expect(result.stderr).toContain(
    `; the task's worktree has changes not committed (${SIGN_IN_SOURCE}), which no proof runs: commit them and record again\n`,
  );
  expect(result.exitCode, result.output).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);
  expectNoScratch(project);
});
