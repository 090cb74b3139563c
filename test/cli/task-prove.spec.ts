import { expect, test } from '@playwright/test';
import { provenAcceptance } from '../../src/loop/handoff.ts';
import { writeGateOutput } from '../helpers/gate-output.ts';
import { handedOffTask } from '../helpers/handed-off-task.ts';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

async function taskWithRun(testInfo: Parameters<typeof TaskProject.create>[0]) {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  writeGateOutput(`${project.dir}/gate-results`);
  expect((await project.packgate(['gate', 'record', '--task', EXAMPLE_TASK])).exitCode).toBe(0);
  return project;
}

test('an item is proven by a gate run on the task, or by a file stored by digest', async ({}, testInfo) => {
  const project = await taskWithRun(testInfo);
  const byRun = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', '1', '--run', '#1']);
  expect(byRun.stdout).toBe(`acceptance item 1 of ${EXAMPLE_TASK} proven by gate run #1\n`);
  project.write({ 'plan.md': 'the plan\n' });
  const byFile = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', '2', '--file', 'plan.md']);
  expect(byFile.stdout).toMatch(
    new RegExp(`^acceptance item 2 of ${EXAMPLE_TASK} proven by plan\\.md \\(sha256 [0-9a-f]{12}\\)\\n$`),
  );
});

test("a run that passed part of the item's pack (a layer not selected) is no proof of it: refused naming what it did not run", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const verdict = writeGateOutput(`${project.dir}/gate-results`);
  const missing = ['browser: signs in through the IdP', 'browser: lands in the shell'];
  verdict.packs[0].missingTests = missing;
  verdict.narrowed = ['not selected: local-browser'];
  project.write({ 'gate-results/verdict.json': JSON.stringify(verdict, null, 2) + '\n' });
  expect((await project.packgate(['gate', 'record', '--task', EXAMPLE_TASK])).exitCode).toBe(0);

  const before = project.storeSnapshot();
  const result = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', '3', '--run', '1']);
  expect(result.stderr).toBe(
    `packgate: gate run #1 does not prove acceptance item 3 of task ${EXAMPLE_TASK}: auth-session passed in it ` +
      `with 2 of its tests not run (${missing.join('; ')}) (local); the item needs its PASS in local, every test of it run\n` +
      '  hint: record a gate run on the task in which auth-session passes in local, all its layers selected\n',
  );
  expect(result.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
  // Nor does the handoff, nor the dashboard's task page, take it for one.
  const item = { text: 'signs in', pack: 'auth-session', environment: 'local' };
  const run = (missingTests?: string[]) => ({
    id: 1,
    environment: 'local',
    packs: [{ pack: 'auth-session', status: 'PASS' as const, ...(missingTests ? { missingTests } : {}) }],
  });
  expect(provenAcceptance(EXAMPLE_TASK, [item], [], [run(missing)])[0].proof).toEqual([]);
  expect(provenAcceptance(EXAMPLE_TASK, [item], [], [run()])[0].proof).toEqual([
    'gate run #1: auth-session PASS in local',
  ]);
});

test('the same proof given again is the one recorded already: said so, exit 0, nothing recorded twice', async ({}, testInfo) => {
  const project = await taskWithRun(testInfo);
  project.write({ 'plan.md': 'the plan\n' });
  const prove = (...args: string[]) => project.packgate(['task', 'prove', EXAMPLE_TASK, ...args]);
  expect((await prove('--item', '1', '--run', '1')).exitCode).toBe(0);
  expect((await prove('--item', '2', '--file', 'plan.md')).exitCode).toBe(0);
  const before = project.storeSnapshot();

  // Before: each recorded again, and the handoff listed "gate run #1; gate run #1".
  const run = await prove('--item', '1', '--run', '1');
  expect(run.exitCode, run.output).toBe(0);
  expect(run.stdout).toMatch(
    new RegExp(
      `^acceptance item 1 of ${EXAMPLE_TASK} is proven by gate run #1 already \\(recorded \\S+ by tester\\); nothing recorded\\n$`,
    ),
  );
  const file = await project.json<{ ok: boolean; recorded: boolean; event: { body: { file: string } } }>([
    'task',
    'prove',
    EXAMPLE_TASK,
    '--item',
    '2',
    '--file',
    'plan.md',
  ]);
  expect(file.result.exitCode).toBe(0);
  expect(file.body).toMatchObject({ ok: true, recorded: false, event: { body: { file: 'plan.md' } } });
  expect(project.storeSnapshot()).toEqual(before);

  // Another content, or another note, is another proof.
  project.write({ 'plan.md': 'the plan, revised\n' });
  expect((await prove('--item', '2', '--file', 'plan.md')).stdout).toMatch(/ proven by plan\.md \(sha256 /);
  expect((await prove('--item', '1', '--run', '1', '--note', 'the api layer')).stdout).toBe(
    `acceptance item 1 of ${EXAMPLE_TASK} proven by gate run #1\n`,
  );
  const { body } = await project.json<{ events: Array<{ kind: string }> }>(['task', 'show', EXAMPLE_TASK]);
  expect(body.events.filter(e => e.kind === 'proof')).toHaveLength(4);
});

test('a task handed off takes no proof: its handoff holds what its reviewer reviews; exit 2, nothing recorded', async ({}, testInfo) => {
  const { project, worktree } = await handedOffTask(testInfo, {
    files: { 'packs/auth-session/plan.md': 'the plan\n' },
  });
  const before = project.storeSnapshot();
  // Before: recorded (exit 0), in no handoff, while a done task's proof was refused.
  const proof = await project.packgate(
    ['task', 'prove', EXAMPLE_TASK, '--item', '2', '--file', 'packs/auth-session/plan.md'],
    {},
    worktree,
  );
  expect(proof.exitCode, proof.output).toBe(2);
  expect(proof.stderr).toMatch(
    new RegExp(
      `^packgate: task ${EXAMPLE_TASK} is in review since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: ` +
        'its handoff holds the proofs its reviewer reviews, and a proof now would be in none\\n',
    ),
  );
  expect(proof.stderr).toContain(
    `  hint: to add one, the review requests changes (packgate review submit --task ${EXAMPLE_TASK} --request-changes), ` +
      'which sends it back to in_progress; then prove it and hand it off again\n',
  );
  expect(project.storeSnapshot()).toEqual(before);
});

test('bad input is refused, exit 2, nothing recorded', async ({}, testInfo) => {
  const project = await taskWithRun(testInfo);
  project.write({ 'leak.txt': 'curl -H "Authorization: Bearer abc.def.ghi" https://api\n' });
  const before = project.storeSnapshot();
  const cases: Array<[string[], string]> = [
    [
      ['--item', '9', '--run', '1'],
      `packgate: task ${EXAMPLE_TASK} has no acceptance item 9\n  hint: its items: 1. OIDC callback smoke blocks failure; ` +
        '2. browser login plan recorded; 3. deployed app can start OIDC auth, Keycloak accepts callback, user can land in shell\n',
    ],
    // Before: "has no acceptance item NaN".
    [
      ['--item', 'two', '--run', '1'],
      'packgate: --item must be the number of an acceptance item, e.g. 1, not "two"\n  hint: its items: ' +
        '1. OIDC callback smoke blocks failure; 2. browser login plan recorded; 3. deployed app can start OIDC auth, ' +
        'Keycloak accepts callback, user can land in shell\n',
    ],
    [['--item', '1'], 'packgate: a proof is a gate run or a file: give exactly one of --run and --file\n'],
    [
      ['--item', '1', '--run', '1', '--file', 'x'],
      'packgate: a proof is a gate run or a file: give exactly one of --run and --file\n',
    ],
    [
      ['--item', '1', '--run', '7'],
      `packgate: there is no gate run #7 in the queue store: a proof of ${EXAMPLE_TASK} is one of its own gate runs\n` +
        `  hint: its runs: #1 (packgate task show ${EXAMPLE_TASK} lists them)\n`,
    ],
    [['--item', '1', '--run', 'latest'], 'packgate: --run must be a gate run number, e.g. 3, not "latest"\n'],
    // Number() reads these as runs 1, 1 and 0 (before: run #1 proved the item, or "no gate run #0").
    [['--item', '1', '--run', '0x1'], 'packgate: --run must be a gate run number, e.g. 3, not "0x1"\n'],
    [['--item', '1', '--run', '1e0'], 'packgate: --run must be a gate run number, e.g. 3, not "1e0"\n'],
    [['--item', '1', '--run', ''], 'packgate: --run must be a gate run number, e.g. 3, not ""\n'],
    [
      ['--item', '1', '--file', 'nope.txt'],
      'packgate: nope.txt: no such file\n' +
        '  hint: give the file that proves the item (a plan, notes, a report), or --run <n>: a gate run on the task\n',
    ],
    [
      ['--item', '1', '--file', 'leak.txt'],
      'packgate: leak.txt looks like it holds a secret (a token, password, cookie or OAuth code)\n' +
        '  hint: redact it first; evidence is stored and shown to reviewers\n',
    ],
  ];
  for (const [args, stderr] of cases) {
    const result = await project.packgate(['task', 'prove', EXAMPLE_TASK, ...args]);
    expect(result.stderr, args.join(' ')).toBe(stderr);
    expect(result.exitCode, args.join(' ')).toBe(2);
  }
  expect(project.storeSnapshot()).toEqual(before);
});

/**
 * Before: "gate run #N is not recorded on task T" whether #N was another task's run, a release-gate run
 * or none at all, and "record one: TASK_ID=T npx playwright test ..." for a task with no run.
 */
test("a --run that is not one of the task's runs says what it is, and what to give instead", async ({}, testInfo) => {
  const project = await taskWithRun(testInfo);
  await project.examplePacket({ TASK_ID: 'OTHER-1', GOAL: 'another goal' });
  writeGateOutput(`${project.dir}/release-results`, { verdict: { durationMs: 1 } });
  expect((await project.packgate(['gate', 'record', '--output', 'release-results'])).exitCode).toBe(0);
  const before = project.storeSnapshot();

  const another = await project.packgate(['task', 'prove', 'OTHER-1', '--item', '1', '--run', '1']);
  expect(another.stderr).toBe(
    `packgate: gate run #1 is recorded on task ${EXAMPLE_TASK}, not on OTHER-1: a proof of OTHER-1 is one of its own gate runs\n` +
      '  hint: task OTHER-1 has no gate run yet: run the gate for it (TASK_ID=OTHER-1 npx playwright test ...), ' +
      'then give --run the number it records\n',
  );
  expect(another.exitCode).toBe(2);
  const release = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', '1', '--run', '2']);
  expect(release.stderr).toBe(
    `packgate: gate run #2 is a release-gate run (recorded on no task), not a run of task ${EXAMPLE_TASK}: ` +
      `a proof of ${EXAMPLE_TASK} is one of its own gate runs\n` +
      `  hint: its runs: #1 (packgate task show ${EXAMPLE_TASK} lists them)\n`,
  );
  expect(release.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('a --file run from a folder below the project root that is not found says where it was read from', async ({}, testInfo) => {
  const project = await taskWithRun(testInfo);
  project.write({ 'packs/auth-session/plan.md': 'the plan\n' });
  const before = project.storeSnapshot();
  const below = `${project.dir}/packs/auth-session`;
  // Before: "cannot read plan.md: ENOENT" (Node's code), though plan.md is in the folder the command ran in.
  const there = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', '2', '--file', 'plan.md'], {}, below);
  expect(there.stderr).toBe(
    'packgate: plan.md: no such file\n' +
      `  hint: plan.md is read from the project root ${project.dir}, not from this folder: give it as packs/auth-session/plan.md; ` +
      'give the file that proves the item (a plan, notes, a report), or --run <n>: a gate run on the task\n',
  );
  expect(there.exitCode).toBe(2);
  const nowhere = await project.packgate(
    ['task', 'prove', EXAMPLE_TASK, '--item', '2', '--file', 'nope.md'],
    {},
    below,
  );
  expect(nowhere.stderr).toBe(
    'packgate: nope.md: no such file\n' +
      `  hint: nope.md is read from the project root ${project.dir}, not from this folder; ` +
      'give the file that proves the item (a plan, notes, a report), or --run <n>: a gate run on the task\n',
  );
  expect(nowhere.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
  const given = await project.packgate(
    ['task', 'prove', EXAMPLE_TASK, '--item', '2', '--file', 'packs/auth-session/plan.md'],
    {},
    below,
  );
  expect(given.exitCode, given.output).toBe(0);
});
