import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Handoff } from '../../src/loop/handoff-schema.ts';
import { writeGateOutput } from '../helpers/gate-output.ts';
import { handedOffTask } from '../helpers/handed-off-task.ts';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

const WORKTREE = `.packgate/worktrees/${EXAMPLE_TASK}`;

/** Started, with an owned change and a passing local-api gate run recorded on the task (run #1). */
async function workedTask(testInfo: Parameters<typeof TaskProject.create>[0]) {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  expect((await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1'])).exitCode).toBe(0);
  const worktree = `${project.dir}/${WORKTREE}`;
  project.write(
    { 'packs/auth-session/plan.md': 'browser login plan: sign in through the IdP form, land in the shell\n' },
    worktree,
  );
  writeGateOutput(`${worktree}/gate-results`);
  const recorded = await project.packgate(['gate', 'record'], { TASK_ID: EXAMPLE_TASK }, worktree);
  expect(recorded.exitCode, recorded.output).toBe(0);
  return { project, worktree };
}

test('refused while an acceptance item has no proof: exit 1, what is missing, nothing written', async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  const before = project.storeSnapshot();
  const result = await project.packgate(['handoff', '--task', EXAMPLE_TASK], {}, worktree);
  expect(result.stdout).toContain(
    [
      'acceptance:',
      '  1. OIDC callback smoke blocks failure: NO PROOF',
      '  2. browser login plan recorded: NO PROOF',
      '  3. deployed app can start OIDC auth, Keycloak accepts callback, user can land in shell: gate run #1: auth-session PASS in local',
    ].join('\n'),
  );
  expect(result.stdout).toContain(
    '\nhandoff refused: 2 missing\n  - acceptance item 1 "OIDC callback smoke blocks failure" has no recorded proof: ' +
      `record one with \`packgate task prove ${EXAMPLE_TASK} --item 1 --run <gate run> | --file <file>\`\n`,
  );
  expect(result.exitCode).toBe(1);
  const json = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--json'], {}, worktree);
  expect(json.exitCode).toBe(1);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, complete: false });
  expect(project.storeSnapshot()).toEqual(before);
});

test("the pack's acceptance item takes no file, nor a run the pack did not pass in: exit 2, nothing recorded", async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  writeGateOutput(`${worktree}/failed-results`, { status: 'FAIL' });
  const failed = await project.packgate(
    ['gate', 'record', '--output', 'failed-results'],
    { TASK_ID: EXAMPLE_TASK },
    worktree,
  );
  expect(failed.exitCode, failed.output).toBe(0);
  const before = project.storeSnapshot();
  const file = await project.packgate(
    ['task', 'prove', EXAMPLE_TASK, '--item', '3', '--file', 'packs/auth-session/plan.md'],
    {},
    worktree,
  );
  expect(file.stderr).toContain(
    `acceptance item 3 of task ${EXAMPLE_TASK} ("deployed app can start OIDC auth, Keycloak accepts callback, user can land in shell") ` +
      'is proven by a gate run in which auth-session passes in local, not by a file',
  );
  expect(file.exitCode).toBe(2);
  const run = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', '3', '--run', '2'], {}, worktree);
  expect(run.stderr).toContain(
    `gate run #2 does not prove acceptance item 3 of task ${EXAMPLE_TASK}: auth-session is FAIL in it (local); the item needs its PASS in local`,
  );
  expect(run.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
  // The passing run #1 proves it, named or not.
  const passed = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', '3', '--run', '1'], {}, worktree);
  expect(passed.exitCode, passed.output).toBe(0);
});

test('a --risk that looks like it holds a secret is refused, exit 2: the handoff, stored as written, never carries it', async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  for (const [item, proof] of [
    ['1', ['--run', '1']],
    ['2', ['--file', 'packs/auth-session/plan.md']],
  ] as const) {
    const proved = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', item, ...proof], {}, worktree);
    expect(proved.exitCode, proved.output).toBe(0);
  }
  const before = project.storeSnapshot();
  const secret = 'Zq8-handoff-risk-pw-17';
  for (const args of [
    ['--risk', `demo login checked with PACKGATE_DEMO_USER_PASSWORD=${secret}`],
    ['--risk', 'demo not run yet', '--risk', `PACKGATE_DEMO_USER_PASSWORD=${secret}`, '--dry-run'],
  ]) {
    const result = await project.packgate(['handoff', '--task', EXAMPLE_TASK, ...args], {}, worktree);
    // Before: exit 0, in review, the password in the handoff stored under .packgate/evidence/.
    expect(result.stderr, args.join(' ')).toBe(
      `packgate: --risk ${args.length > 2 ? '(the 2nd) ' : ''}looks like it holds a secret (a token, password, cookie or OAuth code)\n` +
        '  hint: name the env var or the file that holds it instead; the handoff is stored and shown to reviewers\n',
    );
    expect(result.exitCode).toBe(2);
    expect(result.output).not.toContain(secret);
  }
  expect(project.storeSnapshot()).toEqual(before);
});

test('complete: files from git, commands with results, risks, evidence by digest; recorded and in review', async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  expect(
    (
      await project.packgate(
        ['task', 'prove', EXAMPLE_TASK, '--item', '1', '--run', '1', '--note', 'the api layer checks redirect_uri'],
        {},
        worktree,
      )
    ).exitCode,
  ).toBe(0);
  expect(
    (
      await project.packgate(
        ['task', 'prove', EXAMPLE_TASK, '--item', '2', '--file', 'packs/auth-session/plan.md'],
        {},
        worktree,
      )
    ).exitCode,
  ).toBe(0);
  const { stdout, exitCode } = await project.packgate(
    ['handoff', '--task', EXAMPLE_TASK, '--json', '--risk', 'demo not run yet'],
    {},
    worktree,
  );
  expect(exitCode).toBe(0);
  const { complete, recorded, handoff } = JSON.parse(stdout) as {
    complete: boolean;
    recorded: string;
    handoff: Handoff;
  };
  expect(complete).toBe(true);
  expect(recorded).toMatch(/^[0-9a-f]{64}$/);
  expect(handoff.filesChanged).toEqual([
    { path: 'packs/auth-session/plan.md', status: 'untracked', rule: 1, why: 'owned (packs/**)', uncommitted: true },
  ]);
  expect(handoff.commands.map(c => [c.command, c.result])).toEqual([
    ['npx playwright test --project=local-api', 'pass'],
    [`TASK_ID=${EXAMPLE_TASK} npx playwright test --project=local-browser packs/auth-session/`, 'skipped'],
    [`npx packgate drift --task ${EXAMPLE_TASK}`, 'skipped'],
  ]);
  expect(handoff.acceptance.map(a => a.proof)).toEqual([
    'gate run #1: the api layer checks redirect_uri',
    expect.stringMatching(/^file packs\/auth-session\/plan\.md \(sha256 [0-9a-f]{64}\)$/),
    'gate run #1: auth-session PASS in local',
  ]);
  expect(handoff.residualRisks).toContain('demo not run yet');
  expect(handoff.evidence.map(e => [e.path, e.status])).toEqual([
    ['evidence/auth-session/evidence.json', 'ok'],
    ['summary.md', 'ok'],
    ['verdict.json', 'ok'],
    ['packs/auth-session/plan.md', 'ok'],
  ]);
  const show = await project.json<{
    task: { state: string };
    events: Array<{ kind: string; body: { digest: string } }>;
  }>(['task', 'show', EXAMPLE_TASK]);
  expect(show.body.task.state).toBe('in_review');
  expect(show.body.events.find(e => e.kind === 'handoff')!.body.digest).toBe(recorded);
  // Handed off once: a second handoff is refused, the task having moved on.
  const again = await project.packgate(['handoff', '--task', EXAMPLE_TASK], {}, worktree);
  expect(again.stderr).toContain(`task ${EXAMPLE_TASK} is handed off already: in review since `);
  expect(again.stderr).toContain('hint: its reviewer decides');
  expect(again.exitCode).toBe(2);
});

/**
 * What a successor reads. Before: every drift check the worker ran, one line each, and each evidence
 * file as an absolute path of this machine's checkout. Now the latest check (of each drift command)
 * with how many there were, and evidence paths relative to the project they are in.
 */
test('a handoff lists the latest drift check, not every one, and evidence paths relative to the project', async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  for (let i = 0; i < 3; i++)
    expect((await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree)).exitCode).toBe(0);
  const { stdout, exitCode } = await project.packgate(
    ['handoff', '--task', EXAMPLE_TASK, '--dry-run', '--json'],
    {},
    worktree,
  );
  expect(exitCode).toBe(1);
  const { handoff } = JSON.parse(stdout) as { handoff: Handoff };
  const drifts = handoff.commands.filter(c => /\bdrift\b/.test(c.command));
  expect(drifts).toEqual([
    expect.objectContaining({ result: 'pass', detail: 'every change inside the packet (the latest of 3 checks)' }),
  ]);
  expect(handoff.evidence.length).toBeGreaterThan(0);
  for (const e of handoff.evidence)
    expect(e.location).toBe(`.packgate/evidence/sha256/${e.digest.slice(0, 2)}/${e.digest}`);
  const text = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--dry-run'], {}, worktree);
  expect(text.stdout).not.toContain(project.dir);
});

/**
 * A handoff is made in the task's worktree (a real `git worktree add`, by task start), whose folder
 * holds no .packgate/evidence: the store is the main checkout's. Before, each evidence line showed
 * its path from the main checkout (`.packgate/evidence/...`), which from the worktree names nothing.
 * Now from where the command ran, in the worktree or a folder inside it; the stored handoff keeps
 * the main checkout's.
 */
test("in a task's worktree, each evidence path printed opens from where handoff ran", async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  expect(project.git(['worktree', 'list', '--porcelain'])).toContain(`worktree ${worktree}\n`);
  for (const cwd of [worktree, `${worktree}/packs/auth-session`]) {
    const { stdout } = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--dry-run'], {}, cwd);
    const shown = stdout
      .slice(stdout.indexOf('\nevidence:\n'))
      .split('\n')
      .flatMap(line => /^ {2}\S+ +.* sha256:[0-9a-f]{64} {2}(\S+)$/.exec(line)?.[1] ?? []);
    expect(shown.length, stdout).toBeGreaterThan(0);
    for (const file of shown) {
      expect(path.isAbsolute(file), file).toBe(false);
      expect(fs.existsSync(path.resolve(cwd, file)), `${file} from ${cwd}`).toBe(true);
    }
  }
  // The stored document (--json) keeps them from the main checkout, for whoever reads it later.
  const json = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--dry-run', '--json'], {}, worktree);
  for (const e of (JSON.parse(json.stdout) as { handoff: Handoff }).handoff.evidence)
    expect(fs.existsSync(path.join(project.dir, e.location)), e.location).toBe(true);
});

test('a changed byte in stored evidence refuses the handoff, naming the file', async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  const { body } = await project.json<{ gateRuns: Array<{ evidence: Array<{ path: string; digest: string }> }> }>([
    'task',
    'show',
    EXAMPLE_TASK,
  ]);
  const evidence = body.gateRuns[0].evidence.find(e => e.path === 'evidence/auth-session/evidence.json')!;
  const blob = `${project.dir}/.packgate/evidence/sha256/${evidence.digest.slice(0, 2)}/${evidence.digest}`;
  fs.chmodSync(blob, 0o644);
  const bytes = fs.readFileSync(blob);
  bytes[bytes.indexOf('PASS')] = 'F'.charCodeAt(0);
  fs.writeFileSync(blob, bytes);
  const result = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--dry-run'], {}, worktree);
  expect(result.stdout).toContain(
    `  - evidence evidence/auth-session/evidence.json of gate run #1 (sha256 ${evidence.digest}) is changed since it was stored: ` +
      'it no longer matches its digest\n',
  );
  expect(result.stdout).toContain(`  tampered #1 evidence/auth-session/evidence.json  sha256:${evidence.digest}`);
  expect(result.exitCode).toBe(1);
});

// Before: handed off from the detached commit; the branch review accepts did not have the work, and
// only the review's acceptance found out ("what would be accepted is not what was reviewed").
test("work committed off the task's branch (a detached HEAD) refuses the handoff, saying how to put it there", async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  for (const item of ['1', '2'])
    expect(
      (await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', item, '--run', '1'], {}, worktree)).exitCode,
    ).toBe(0);
  project.git(['switch', '-q', '--detach'], worktree);
  project.commitAll('the plan, committed where no branch is', worktree);
  const head = project.git(['rev-parse', 'HEAD'], worktree).trim().slice(0, 12);
  const before = project.storeSnapshot();
  const refused = await project.packgate(['handoff', '--task', EXAMPLE_TASK], {}, worktree);
  expect(refused.stdout).toContain(
    `\nhandoff refused: 1 missing\n  - the checkout is on a detached HEAD at ${head}, not on the task's branch ` +
      `task/${EXAMPLE_TASK}, which review accepts: put the work there (git switch task/${EXAMPLE_TASK} && git merge ${head}) ` +
      'and hand it off again\n',
  );
  expect(refused.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);
  // As it says:
  project.git(['switch', '-q', `task/${EXAMPLE_TASK}`], worktree);
  project.git(['merge', '-q', head], worktree);
  const handedOff = await project.packgate(['handoff', '--task', EXAMPLE_TASK], {}, worktree);
  expect(handedOff.stdout).toContain(`task ${EXAMPLE_TASK} is in_review`);
  expect(handedOff.exitCode).toBe(0);
});

test('a change outside the packet refuses the handoff', async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  project.write({ 'src/extra.ts': '// not ours\n' }, worktree);
  const result = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--dry-run'], {}, worktree);
  expect(result.stdout).toContain(
    '  - src/extra.ts is outside the packet (drift rule 2: must_not_touch (src/**): stop and escalate)\n',
  );
  expect(result.exitCode).toBe(1);
});

test('bad input: unknown task, no base: exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  const unknown = await project.packgate(['handoff', '--task', 'NOPE']);
  expect(unknown.stderr).toBe(
    'packgate: no task NOPE in the queue store\n  hint: list tasks with: packgate task list\n',
  );
  expect(unknown.exitCode).toBe(2);
  // Started without a worktree: in progress, but with no commit its branch started from.
  const start = await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 's-1', '--no-worktree']);
  expect(start.exitCode, start.output).toBe(0);
  const noBase = await project.packgate(['handoff', '--task', EXAMPLE_TASK]);
  expect(noBase.stderr).toContain('has no base commit to measure its changes from');
  expect(noBase.exitCode).toBe(2);
});

// Before: an escalated task's handoff was assembled, then refused by the store ("it moved since you
// looked", exit 2) or, as a dry run, said "handoff complete"; a task never started was judged too.
test('a task not in progress (escalated, never started) is refused up front with what to do; exit 2, nothing written', async ({}, testInfo) => {
  const { project, worktree } = await workedTask(testInfo);
  project.write({ 'src/extra.ts': '// not ours\n' }, worktree);
  expect((await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree)).exitCode).toBe(1);
  project.write({ 'src/extra.ts': null }, worktree);
  const before = project.storeSnapshot();
  for (const args of [[], ['--dry-run']]) {
    const result = await project.packgate(['handoff', '--task', EXAMPLE_TASK, ...args], {}, worktree);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^packgate: task ${EXAMPLE_TASK} is escalated, not in progress: only a task in progress is handed off ` +
          '\\(escalated since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, by tester: drift rule 2: src/extra\\.ts \\(must_not_touch src/\\*\\*\\)\\)\\n' +
          "  hint: it waits for the owning lane's decision \\(packgate task show \\S+ lists the escalation\\); " +
          `then resume it in its worktree with packgate task start ${EXAMPLE_TASK}, and hand it off from there\\n$`,
      ),
    );
    expect(result.exitCode).toBe(2);
  }
  expect(project.storeSnapshot()).toEqual(before);

  await project.packgate([
    'packet',
    'new',
    '--task-id',
    'T-2',
    '--owner-lane',
    'C-ops',
    '--goal',
    'g',
    '--acceptance',
    'a',
    '--pack',
    'auth-session',
  ]);
  const notStarted = await project.packgate(['handoff', '--task', 'T-2', '--base', 'HEAD']);
  expect(notStarted.stderr).toBe(
    'packgate: task T-2 is ready, not in progress: only a task in progress is handed off (ready since ' +
      notStarted.stderr.match(/since (.+?), by/)![1] +
      ', by tester: packet attached)\n' +
      '  hint: start it (packgate task start T-2), do the work in its worktree, then hand it off\n',
  );
  expect(notStarted.exitCode).toBe(2);
});

test('a task already done: said so, when and by whom, nothing to hand off; exit 2, nothing written', async ({}, testInfo) => {
  const { project, worktree } = await handedOffTask(testInfo, {
    files: { 'packs/auth-session/plan.md': 'browser login plan: sign in through the IdP form\n' },
  });
  const accepted = await project.packgate(
    [
      'review',
      'submit',
      '--task',
      EXAMPLE_TASK,
      '--accept',
      '--lane',
      'C-ops',
      '--actor',
      'reviewer',
      '--session',
      'rev-1',
    ],
    {},
  );
  expect(accepted.exitCode, accepted.output).toBe(0);
  const before = project.storeSnapshot();
  for (const args of [[], ['--dry-run']]) {
    const result = await project.packgate(['handoff', '--task', EXAMPLE_TASK, ...args], {}, worktree);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^packgate: task ${EXAMPLE_TASK} is done: there is nothing to hand off \\(done since ` +
          '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, by reviewer: review accepted by reviewer for C-ops\\)\\n' +
          '  hint: done is final: see it with packgate task show \\S+; further work is a new task \\(packgate packet new\\)\\n$',
      ),
    );
    expect(result.stderr).not.toContain('moved since you looked');
    expect(result.exitCode).toBe(2);
  }
  expect(project.storeSnapshot()).toEqual(before);
});
