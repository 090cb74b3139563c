import { expect, test } from '@playwright/test';
import { stringify } from 'yaml';
import { addEvent, handedOffTask, proofRun } from '../helpers/handed-off-task.ts';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 180_000 });

const REVIEWER = ['--actor', 'reviewer', '--session', 'rev-1'];
/** An accept of the bug fix answering what failed and why it was missed, by the reviewer. */
const ANSWERED_ACCEPT = [
  'review',
  'submit',
  '--task',
  EXAMPLE_TASK,
  '--accept',
  '--lane',
  'C-ops',
  '--what-failed',
  'the demo callback was refused',
  '--why-missed',
  'no test signed in on demo',
  ...REVIEWER,
];
const REGRESSION = { pack: 'auth-session', spec: 'api.spec.ts', title: 'the IdP accepts the registered callback' };

type Answer = { answer: string; source: string; derived?: string; reason?: string };

test('a bug fix is accepted only with its record and its regression proven; then done, its release hold cleared', async ({}, testInfo) => {
  const { project } = await handedOffTask(testInfo, {
    kind: 'bugfix',
    files: { 'packs/auth-session/plan.md': 'the callback regression, at the api layer\n' },
  });
  const accept = ['review', 'submit', '--task', EXAMPLE_TASK, '--accept', '--lane', 'C-ops', ...REVIEWER];
  const answers = ['--what-failed', 'the demo callback was refused', '--why-missed', 'no test signed in on demo'];

  // The reviewer answers what failed and why it was missed: a bug fix's review needs both.
  const before = project.storeSnapshot();
  const unanswered = await project.packgate([...accept, '--what-failed', 'the demo callback was refused']);
  expect(unanswered.stderr).toContain(`packgate: the review of ${EXAMPLE_TASK} needs --why-missed`);
  expect(unanswered.exitCode).toBe(2);
  const noRecord = await project.packgate([...accept, ...answers]);
  expect(noRecord.stderr).toBe(
    `packgate: bug fix ${EXAMPLE_TASK} cannot be accepted without a bug-fix record (packgate review record --task ${EXAMPLE_TASK} --file <file>)\n`,
  );
  expect(noRecord.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);

  const head = project.git(['rev-parse', 'HEAD'], `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`).trim();
  const base = project.git(['rev-parse', 'main']).trim();
  const fixRecord = {
    task_id: EXAMPLE_TASK,
    root_cause: 'the demo client lacked the callback URL',
    owning_layer: 'api',
    impact: 'nobody could sign in on demo',
    proof_command: 'npx playwright test --project=local-api',
    regression: REGRESSION,
    layer_rationale: 'the IdP contract is visible at the api layer',
    residual_risk: 'none known',
  };
  const fixEvent = await addEvent(project, 'fix-record', {
    record: fixRecord,
    fixCommit: head,
    baseCommit: base,
    coverageTask: null,
  });
  const unproven = await project.packgate([...accept, ...answers]);
  expect(unproven.stderr).toBe(
    `packgate: bug fix ${EXAMPLE_TASK} cannot be accepted without a proof of its regression, ` +
      `red before the fix and green after (packgate review prove --task ${EXAMPLE_TASK})\n`,
  );
  expect(unproven.exitCode).toBe(1);

  const proofEvent = await addEvent(project, 'regression-proof', {
    regression: REGRESSION,
    layer: 'api',
    mode: 'repository',
    fixRecordEvent: fixEvent,
    before: proofRun(base, false),
    after: proofRun(head, true),
  });
  // A commit on the branch after the handoff and the proof: not what was reviewed, so not accepted.
  const worktree = `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`;
  project.write({ 'packs/auth-session/plan.md': 'the callback regression, put back\n' }, worktree);
  project.git(['add', '-A'], worktree);
  project.git(['commit', '-qm', 'put the bug back'], worktree);
  const moved = project.git(['rev-parse', 'HEAD'], worktree).trim();
  const afterProof = await project.packgate([...accept, ...answers]);
  expect(afterProof.stderr).toContain(
    `packgate: ${EXAMPLE_TASK}'s branch is at ${moved.slice(0, 12)}, but it was handed off at ${head.slice(0, 12)}: ` +
      'what would be accepted is not what was reviewed',
  );
  expect(afterProof.exitCode).toBe(1);
  project.git(['reset', '-q', '--hard', head], worktree);

  const { result, body } = await project.json<{
    decision: string;
    review: number;
    transition: { from: string; to: string; actor: string };
    answers: Record<string, Answer>;
    clearedHolds: Array<{ pack: string; clearedAs: string; clearReason: string }>;
  }>([...accept, ...answers]);
  expect(result.exitCode, result.output).toBe(0);
  expect(body.decision).toBe('accepted');
  expect(body.transition).toMatchObject({ from: 'in_review', to: 'done', actor: 'reviewer' });
  expect(body.answers).toEqual({
    what_failed: { answer: 'the demo callback was refused', source: 'reviewer' },
    owning_layer: { answer: 'api', source: 'derived' },
    why_missed: { answer: 'no test signed in on demo', source: 'reviewer' },
    regression: {
      answer: `auth-session › api.spec.ts › ${REGRESSION.title} (regression-proof #${proofEvent}: red on ${base.slice(0, 12)}, green on ${head.slice(0, 12)})`,
      source: 'derived',
    },
    special_logic: { answer: 'no', source: 'derived' },
    stayed_in_packet: { answer: 'yes: 1 changed file, all inside the packet (drift rule 1)', source: 'derived' },
  });
  expect(body.clearedHolds).toEqual([
    expect.objectContaining({
      pack: 'auth-session',
      clearedAs: 'coverage',
      clearReason: `review #${body.review} accepted`,
    }),
  ]);
  const show = await project.json<{ task: { state: string } }>(['task', 'show', EXAMPLE_TASK]);
  expect(show.body.task.state).toBe('done');

  // Accepted as it was: no proof or record is added to it afterwards.
  const done = project.storeSnapshot();
  // Nor is it reviewed again (before: the hint said to hand it off, which a done task cannot be).
  const again = await project.packgate(accept);
  expect(again.exitCode).toBe(2);
  expect(again.stderr).toMatch(
    new RegExp(
      `^packgate: task ${EXAMPLE_TASK} is done \\(since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, by reviewer: .+\\): there is nothing to review\\n` +
        `  hint: done is final: see it with packgate task show ${EXAMPLE_TASK}; further work is a new task \\(packgate packet new\\)\\n$`,
    ),
  );
  const proof = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', '1', '--file', 'packgate.yaml']);
  expect(proof.stderr).toContain(`packgate: task ${EXAMPLE_TASK} is done: its review accepted it as it was proven`);
  expect(proof.exitCode).toBe(2);
  project.write({ 'fix.yaml': stringify({ ...fixRecord, regression: REGRESSION }) });
  const record = await project.packgate(['review', 'record', '--task', EXAMPLE_TASK, '--file', 'fix.yaml']);
  expect(record.stderr).toContain(`packgate: task ${EXAMPLE_TASK} is done: its review accepted the record it had`);
  expect(record.exitCode).toBe(2);
  // Nor is what its worktree holds now judged as its drift (no follow-up tasks proposed from it).
  project.write({ 'stray.txt': 'after the review\n' }, `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`);
  const drift = await project.packgate(['drift', '--task', EXAMPLE_TASK]);
  expect(drift.stderr).toContain(`packgate: task ${EXAMPLE_TASK} is done: there is no work of it to judge`);
  expect(drift.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(done);
});

test('changes requested: back to in_progress, held by the session that handed off, the answers attached', async ({}, testInfo) => {
  const { project } = await handedOffTask(testInfo, {
    files: { 'packs/auth-session/plan.md': 'browser login plan\n' },
  });
  const { result, body } = await project.json<{
    decision: string;
    transition: { from: string; to: string };
    answers: Record<string, Answer>;
  }>([
    'review',
    'submit',
    '--task',
    EXAMPLE_TASK,
    '--request-changes',
    '--what-failed',
    'the plan does not say which account signs in',
    '--override',
    'special_logic=yes: auth (the plan changes who signs in on demo)',
    '--because',
    'the plan decides the demo account',
    ...REVIEWER,
  ]);
  expect(result.exitCode, result.output).toBe(0);
  expect(body.decision).toBe('changes-requested');
  expect(body.transition).toMatchObject({ from: 'in_review', to: 'in_progress' });
  expect(body.answers.special_logic).toEqual({
    answer: 'yes: auth (the plan changes who signs in on demo)',
    source: 'override',
    derived: 'no',
    reason: 'the plan decides the demo account',
  });
  expect(body.answers.what_failed).toEqual({
    answer: 'the plan does not say which account signs in',
    source: 'reviewer',
  });

  const show = await project.json<{
    task: { state: string; holder: { session: string }; workspace: { worktree: string } };
    events: Array<{ kind: string; actor: string; body: { decision?: string; answers?: unknown } }>;
  }>(['task', 'show', EXAMPLE_TASK]);
  expect(show.body.task.state).toBe('in_progress');
  expect(show.body.task.holder.session).toBe('agent-1');
  expect(show.body.task.workspace.worktree).toContain(`.packgate/worktrees/${EXAMPLE_TASK}`);
  const review = show.body.events.find(e => e.kind === 'review');
  expect(review).toMatchObject({ actor: 'reviewer', body: { decision: 'changes-requested', answers: body.answers } });
});

test("a reviewer's answer with a credential in it is printed as the store keeps it, redacted", async ({}, testInfo) => {
  const { project } = await handedOffTask(testInfo, {
    files: { 'packs/auth-session/plan.md': 'browser login plan\n' },
  });
  const secret = 'Zq8-what-failed-pw-23';
  const args = ['review', 'submit', '--task', EXAMPLE_TASK, '--request-changes', ...REVIEWER];
  const result = await project.packgate([
    ...args,
    '--what-failed',
    `signs in with PACKGATE_DEMO_USER_PASSWORD=${secret}`,
  ]);
  expect(result.exitCode, result.output).toBe(0);
  // Before: the store kept it redacted, but the terminal printed the password as typed.
  expect(result.stdout).toContain('1. what failed: signs in with PACKGATE_DEMO_USER_PASSWORD=[REDACTED]  [reviewer]\n');
  expect(result.output).not.toContain(secret);
});

test('bad input: unknown task, a task not in review, no decision, an unknown or unreasoned override; exit 2, nothing written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const before = project.storeSnapshot();
  const submit = (...args: string[]) =>
    project.packgate(['review', 'submit', '--task', EXAMPLE_TASK, ...args, ...REVIEWER]);

  const unknown = await project.packgate(['review', 'submit', '--task', 'NOPE', '--accept', ...REVIEWER]);
  expect(unknown.stderr).toBe(
    'packgate: no task NOPE in the queue store\n  hint: list tasks with: packgate task list\n',
  );
  const notInReview = await submit('--accept');
  expect(notInReview.stderr).toBe(
    `packgate: task ${EXAMPLE_TASK} is ready, not in_review: there is nothing to review\n` +
      `  hint: a task is reviewed after its handoff: packgate handoff --task ${EXAMPLE_TASK}\n`,
  );
  const noDecision = await submit();
  expect(noDecision.stderr).toBe('packgate: a review decides: pass exactly one of --accept and --request-changes\n');
  const both = await submit('--accept', '--request-changes');
  expect(both.stderr).toBe(noDecision.stderr);
  const unknownQuestion = await submit('--accept', '--override', 'blame=the IdP team', '--because', 'x');
  expect(unknownQuestion.stderr).toBe(
    'packgate: --override blame=the IdP team: "blame" is not one of the six questions\n' +
      '  hint: one of: owning_layer, regression, special_logic, stayed_in_packet (as QUESTION=ANSWER)\n',
  );
  // A misspelt question: the one it is near, then the list (before: the list alone).
  const misspelt = await submit('--accept', '--override', 'regresion=none', '--because', 'x');
  expect(misspelt.stderr).toBe(
    'packgate: --override regresion=none: "regresion" is not one of the six questions\n' +
      '  hint: did you mean "regression"? one of: owning_layer, regression, special_logic, stayed_in_packet (as QUESTION=ANSWER)\n',
  );
  const unreasoned = await submit('--accept', '--override', 'special_logic=no');
  expect(unreasoned.stderr).toBe(
    'packgate: --override special_logic has no reason: a derived answer is contradicted only with one\n' +
      '  hint: add --because <text> after each --override (the nth --because goes with the nth --override)\n',
  );
  const reviewerQuestion = await submit('--accept', '--override', 'what_failed=nothing', '--because', 'x');
  expect(reviewerQuestion.stderr).toBe(
    'packgate: --override what_failed: the reviewer answers it directly\n  hint: pass --what-failed <text>\n',
  );
  for (const result of [unknown, notInReview, noDecision, both, unknownQuestion, unreasoned, reviewerQuestion])
    expect(result.exitCode, result.output).toBe(2);

  const { result, body } = await project.json(['review', 'submit', '--task', EXAMPLE_TASK, '--accept', ...REVIEWER]);
  expect(result.exitCode).toBe(2);
  expect(body).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  expect(project.storeSnapshot()).toEqual(before);
});

test('a bug fix with skipped coverage is accepted once its coverage task is on the record', async ({}, testInfo) => {
  const { project } = await handedOffTask(testInfo, {
    kind: 'bugfix',
    files: { 'packs/auth-session/plan.md': 'the callback regression, at the api layer\n' },
  });
  const record = (coverageTask: string | null) => ({
    record: {
      task_id: EXAMPLE_TASK,
      root_cause: 'the demo client lacked the callback URL',
      owning_layer: 'browser',
      impact: 'nobody could sign in on demo',
      proof_command: 'npx playwright test --project=demo-browser',
      layer_rationale: 'only a real sign-in on demo sees the deployed client',
      skipped_coverage: 'the demo IdP has no test account yet',
    },
    // The record is of the branch's head, as `review record` takes it by default.
    fixCommit: project.git(['rev-parse', 'HEAD'], `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`).trim(),
    baseCommit: 'b'.repeat(40),
    coverageTask,
  });
  await addEvent(project, 'fix-record', record(null));
  const uncovered = await project.packgate(ANSWERED_ACCEPT);
  expect(uncovered.stderr).toBe(
    `packgate: bug fix ${EXAMPLE_TASK} cannot be accepted without the coverage task of its skipped coverage\n`,
  );
  expect(uncovered.exitCode).toBe(1);

  await addEvent(project, 'fix-record', record(`${EXAMPLE_TASK}-COVERAGE`));
  const { result, body } = await project.json<{ answers: Record<string, Answer> }>(ANSWERED_ACCEPT);
  expect(result.exitCode, result.output).toBe(0);
  expect(body.answers.owning_layer).toEqual({ answer: 'browser', source: 'derived' });
  expect(body.answers.regression).toEqual({
    answer: `none at browser: the demo IdP has no test account yet (coverage task ${EXAMPLE_TASK}-COVERAGE)`,
    source: 'derived',
  });
});

test("an earlier record's coverage task is parked, its hold cleared, once the review accepts a later record's regression", async ({}, testInfo) => {
  const { project } = await handedOffTask(testInfo, {
    kind: 'bugfix',
    files: { 'packs/auth-session/plan.md': 'the callback regression, at the api layer\n' },
  });
  const record = {
    task_id: EXAMPLE_TASK,
    root_cause: 'the demo client lacked the callback URL',
    owning_layer: 'api',
    impact: 'nobody could sign in on demo',
    proof_command: 'npx playwright test --project=local-api packs/auth-session/idp-contract.spec.ts',
    layer_rationale: 'the IdP contract is visible at the api layer',
    residual_risk: 'none known',
  };
  const regression = {
    pack: 'auth-session',
    spec: 'idp-contract.spec.ts',
    title: "authorize accepts the app's registered callback",
  };
  project.write({ 'skipped.yaml': stringify({ ...record, skipped_coverage: 'no test account on demo yet' }) });
  project.write({ 'fix.yaml': stringify({ ...record, regression }) });
  for (const file of ['skipped.yaml', 'fix.yaml']) {
    const recorded = await project.packgate(['review', 'record', '--task', EXAMPLE_TASK, '--file', file]);
    expect(recorded.exitCode, recorded.output).toBe(0);
  }
  const coverageId = `${EXAMPLE_TASK}-COVERAGE`;
  const { body: shown } = await project.json<{ events: Array<{ id: number; kind: string }> }>([
    'task',
    'show',
    EXAMPLE_TASK,
  ]);
  const head = project.git(['rev-parse', 'HEAD'], `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`).trim();
  await addEvent(project, 'regression-proof', {
    regression,
    layer: 'api',
    mode: 'repository',
    fixRecordEvent: shown.events.filter(e => e.kind === 'fix-record').at(-1)!.id,
    before: proofRun(head, false),
    after: proofRun(head, true),
  });
  const accepted = await project.packgate(ANSWERED_ACCEPT);
  expect(accepted.exitCode, accepted.output).toBe(0);
  expect(accepted.stdout).toMatch(
    new RegExp(
      `coverage task ${coverageId}: covered by this regression; its release holds cleared: #\\d+ auth-session; parked\\n`,
    ),
  );
  const { body: coverage } = await project.json<{ task: { state: string } }>(['task', 'show', coverageId]);
  expect(coverage.task.state).toBe('parked');
  const holds = await project.json<{ holds: Array<{ taskId: string }> }>(['review', 'holds']);
  expect(holds.body.holds.map(h => h.taskId)).not.toContain(coverageId);
});

/**
 * Before: an accept took the branch while the task's worktree held changes not committed (a file
 * edited after the handoff, a stray one): the task went to done and its holds cleared, the answers
 * judging those files, and what main merges is the branch without them. Now it is refused, exit 1,
 * nothing written, naming them; once they are gone it is accepted.
 */
test("an accept is refused while the task's worktree has changes not committed: they are not on the branch it accepts", async ({}, testInfo) => {
  const { project, worktree } = await handedOffTask(testInfo, {
    files: { 'packs/auth-session/plan.md': 'browser login plan\n' },
  });
  project.write(
    { 'packs/auth-session/plan.md': 'browser login plan, edited after the handoff\n', 'stray.txt': 'x\n' },
    worktree,
  );
  const before = project.storeSnapshot();
  const accept = ['review', 'submit', '--task', EXAMPLE_TASK, '--accept', '--lane', 'C-ops', ...REVIEWER];
  const refused = await project.packgate(accept);
  expect(refused.stderr).toBe(
    `packgate: ${EXAMPLE_TASK}'s worktree has changes not committed (packs/auth-session/plan.md, stray.txt): ` +
      'they are not on its branch, which is what an accept accepts\n' +
      '  hint: send it back (--request-changes) for the implementer to commit them and hand off again, or to remove them\n',
  );
  expect(refused.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);

  project.git(['checkout', '--', 'packs/auth-session/plan.md'], worktree);
  project.write({ 'stray.txt': null }, worktree);
  const accepted = await project.packgate(accept);
  expect(accepted.exitCode, accepted.output).toBe(0);
});

/**
 * Before: whoever recorded a bug fix's record (its root cause, owning layer and regression, which
 * answer two of the six questions) could accept it, so long as someone else had handed the task off.
 * Now the record's author is refused as the implementer is, exit 1, nothing written.
 */
test("the author of a bug fix's record cannot accept it: refused, exit 1, nothing written", async ({}, testInfo) => {
  const { project, worktree } = await handedOffTask(testInfo, {
    kind: 'bugfix',
    files: { 'packs/auth-session/plan.md': 'the callback regression, at the api layer\n' },
  });
  project.write({
    'fix.yaml': stringify({
      task_id: EXAMPLE_TASK,
      root_cause: 'the demo client lacked the callback URL',
      owning_layer: 'api',
      impact: 'nobody could sign in on demo',
      proof_command: 'npx playwright test --project=local-api packs/auth-session/idp-contract.spec.ts',
      regression: {
        pack: 'auth-session',
        spec: 'idp-contract.spec.ts',
        title: "authorize accepts the app's registered callback",
      },
      layer_rationale: 'the IdP contract is visible at the api layer',
      residual_risk: 'none known',
    }),
  });
  const recorded = await project.json<{ event: number }>([
    'review',
    'record',
    '--task',
    EXAMPLE_TASK,
    '--file',
    'fix.yaml',
    '--actor',
    'reviewer',
  ]);
  expect(recorded.result.exitCode, recorded.result.output).toBe(0);
  await addEvent(project, 'regression-proof', {
    regression: {
      pack: 'auth-session',
      spec: 'idp-contract.spec.ts',
      title: "authorize accepts the app's registered callback",
    },
    layer: 'api',
    mode: 'repository',
    fixRecordEvent: recorded.body.event,
    before: proofRun(project.git(['rev-parse', 'main']).trim(), false),
    after: proofRun(project.git(['rev-parse', 'HEAD'], worktree).trim(), true),
  });
  const before = project.storeSnapshot();
  const answers = ['--what-failed', 'the demo callback was refused', '--why-missed', 'no test signed in on demo'];
  const accept = ['review', 'submit', '--task', EXAMPLE_TASK, '--accept', '--lane', 'C-ops', ...answers];
  const own = await project.packgate([...accept, ...REVIEWER]);
  expect(own.stderr).toBe(
    `packgate: reviewer recorded ${EXAMPLE_TASK}'s bug-fix record (event #${recorded.body.event}) and cannot accept it: ` +
      'its root cause, owning layer and regression are what the review checks\n' +
      '  hint: a reviewer is someone who wrote neither the fix nor its record: their name in --actor (PACKGATE_ACTOR)\n',
  );
  expect(own.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);

  const other = await project.packgate([...accept, '--actor', 'carol', '--session', 'rev-2']);
  expect(other.exitCode, other.output).toBe(0);
});

/**
 * Before: a proof counted only for the very record event it was made of, so correcting a word of
 * the record after the proof (its impact, its residual risk) left the bug fix "without a proof of its
 * regression", and proving again ran two stacks for minutes to show the same commits the same way.
 * Now a proof in the repository stands for a later record that names the same regression, layer,
 * base and fix; a record that changes any of them still needs its own.
 */
test('a proof stands for a later record of the same regression, layer and commits, not for one that changes them', async ({}, testInfo) => {
  const { project, worktree } = await handedOffTask(testInfo, {
    kind: 'bugfix',
    files: { 'packs/auth-session/plan.md': 'the callback regression, at the api layer\n' },
  });
  const head = project.git(['rev-parse', 'HEAD'], worktree).trim();
  const base = project.git(['rev-parse', 'main']).trim();
  const record = (fields: Record<string, unknown>) => ({
    record: {
      task_id: EXAMPLE_TASK,
      root_cause: 'the demo client lacked the callback URL',
      owning_layer: 'api',
      impact: 'nobody could sign in on demo',
      proof_command: 'npx playwright test --project=local-api',
      regression: REGRESSION,
      layer_rationale: 'the IdP contract is visible at the api layer',
      residual_risk: 'none known',
      ...fields,
    },
    fixCommit: head,
    baseCommit: base,
    coverageTask: null,
  });
  const proven = await addEvent(project, 'fix-record', record({}));
  const proof = await addEvent(project, 'regression-proof', {
    regression: REGRESSION,
    layer: 'api',
    mode: 'repository',
    fixRecordEvent: proven,
    before: proofRun(base, false),
    after: proofRun(head, true),
  });

  // Another regression: what the proof showed is not what the record now says.
  await addEvent(project, 'fix-record', record({ regression: { ...REGRESSION, title: 'another test' } }));
  const other = await project.packgate(ANSWERED_ACCEPT);
  expect(other.stderr).toContain('cannot be accepted without a proof of its regression');
  expect(other.exitCode).toBe(1);

  // The record corrected in words only: the proof still shows what it names.
  await addEvent(project, 'fix-record', record({ residual_risk: 'a callback registered by hand can drift again' }));
  const { result, body } = await project.json<{ answers: Record<string, Answer> }>(ANSWERED_ACCEPT);
  expect(result.exitCode, result.output).toBe(0);
  expect(body.answers.regression.answer).toBe(
    `auth-session › api.spec.ts › ${REGRESSION.title} (regression-proof #${proof}: red on ${base.slice(0, 12)}, green on ${head.slice(0, 12)})`,
  );
});
