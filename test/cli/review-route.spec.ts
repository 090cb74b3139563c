import { expect, test } from '@playwright/test';
import { handedOffTask } from '../helpers/handed-off-task.ts';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 180_000 });

const AUTH_WHY = 'sign-in reaches the deployed auth/login release gate of every stage; its owners review it';

test('a fix touching a high-risk glob: routed to the configured lane, "special logic: yes", and the implementer cannot accept it', async ({}, testInfo) => {
  const { project } = await handedOffTask(testInfo, {
    lane: 'P-platform',
    files: { 'stack/idp/provider.ts': '// the callback fix\n' },
  });

  const route = await project.packgate(['review', 'route', '--task', EXAMPLE_TASK]);
  expect(route.stdout).toBe(
    [
      `review route of ${EXAMPLE_TASK}: 1 changed path`,
      '  lane C-ops must review stack/idp/provider.ts',
      `    because route stack/idp/**: ${AUTH_WHY}`,
      'special logic: yes',
      "  auth: stack/idp/provider.ts (stack/idp/**): sign-in, tokens and the IdP's clients decide who gets in",
      '',
    ].join('\n'),
  );
  expect(route.exitCode).toBe(0);

  // The implementer, under its own name from another session, or under another name in its session.
  const before = project.storeSnapshot();
  const self = await project.packgate([
    'review',
    'submit',
    '--task',
    EXAMPLE_TASK,
    '--accept',
    '--lane',
    'C-ops',
    '--session',
    'agent-2',
  ]);
  expect(self.stderr).toContain(`packgate: tester handed ${EXAMPLE_TASK} off (handoff #`);
  expect(self.exitCode).toBe(1);
  const sameSession = await project.packgate(
    ['review', 'submit', '--task', EXAMPLE_TASK, '--accept', '--lane', 'C-ops', '--actor', 'someone-else'],
    { PACKGATE_SESSION: 'agent-1' },
  );
  expect(sameSession.stderr).toContain(`packgate: session agent-1 handed ${EXAMPLE_TASK} off`);
  expect(sameSession.exitCode).toBe(1);
  // Another reviewer who names no routed lane.
  const unrouted = await project.packgate([
    'review',
    'submit',
    '--task',
    EXAMPLE_TASK,
    '--accept',
    '--actor',
    'reviewer',
    '--session',
    'rev-1',
    '--lane',
    'Q-gate',
  ]);
  expect(unrouted.stderr).toBe(
    'packgate: the change must be reviewed for lane C-ops (C-ops: stack/idp/provider.ts); not Q-gate\n' +
      `  hint: review it for one of them: --lane C-ops (packgate review route --task ${EXAMPLE_TASK} says why)\n`,
  );
  expect(unrouted.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);

  const accepted = await project.packgate([
    'review',
    'submit',
    '--task',
    EXAMPLE_TASK,
    '--accept',
    '--actor',
    'reviewer',
    '--session',
    'rev-1',
    '--lane',
    'C-ops',
  ]);
  expect(accepted.stdout).toContain(
    '  5. did the fix add route, environment, CI or auth special logic: yes: auth (stack/idp/provider.ts)  [derived]\n',
  );
  expect(accepted.stdout).toContain(`task ${EXAMPLE_TASK}: in_review -> done\n`);
  expect(accepted.exitCode).toBe(0);
});

test("--json: every route a path matches, the lane that owns a path outside the task's lane, each special-logic hit", async ({}, testInfo) => {
  // Routing reads the diff of any started task: no handoff needed.
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  expect((await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1'])).exitCode).toBe(0);
  const worktree = `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`;
  project.write({ '.ci/run': '#!/bin/sh\nexit 0\n', 'src/oidc/error-text.ts': '// a tweak\n' }, worktree);
  const { result, body } = await project.json(['review', 'route', '--task', EXAMPLE_TASK]);
  expect(result.exitCode).toBe(0);
  expect(body).toEqual({
    schemaVersion: 1,
    ok: true,
    task: EXAMPLE_TASK,
    paths: ['.ci/run', 'src/oidc/error-text.ts'],
    reviewers: [
      {
        lane: 'C-ops',
        why: ['route .ci/**: CI decides what each gate runs and when', `route src/oidc/**: ${AUTH_WHY}`],
        paths: ['.ci/run', 'src/oidc/error-text.ts'],
        actors: null,
      },
      {
        lane: 'Q-gate',
        why: ['route src/**: the generic core decides every verdict', 'owns src/** (the task is C-ops)'],
        paths: ['src/oidc/error-text.ts'],
        actors: null,
      },
    ],
    specialLogic: [
      {
        kind: 'ci',
        path: '.ci/run',
        glob: '.ci/**',
        why: "CI and the test runner's configuration decide what runs where",
      },
      {
        kind: 'auth',
        path: 'src/oidc/error-text.ts',
        glob: 'src/oidc/**',
        why: "sign-in, tokens and the IdP's clients decide who gets in",
      },
    ],
  });
});

test('an unknown task is bad input: exit 2, a JSON error with --json', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const before = project.storeSnapshot();
  const plain = await project.packgate(['review', 'route', '--task', 'NOPE']);
  expect(plain.stderr).toBe('packgate: no task NOPE in the queue store\n  hint: list tasks with: packgate task list\n');
  expect(plain.exitCode).toBe(2);
  const { result, body } = await project.json(['review', 'route', '--task', 'NOPE']);
  expect(result.exitCode).toBe(2);
  expect(body).toMatchObject({ ok: false, error: { code: 'TASK_UNKNOWN' } });
  expect(project.storeSnapshot()).toEqual(before);
});

test('governance.yaml routing a review to a lane that does not exist: a located error, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const governance = project.read('governance.yaml').replace('      lane: P-platform\n', '      lane: P-platfrom\n');
  project.write({ 'governance.yaml': governance });
  const line = governance.split('\n').findIndex(l => l === '      lane: P-platfrom') + 1;
  const before = project.storeSnapshot();
  const result = await project.packgate(['review', 'route', '--task', EXAMPLE_TASK]);
  expect(result.stderr).toContain(
    `governance.yaml:${line}:13 review.routes[3].lane: review route to lane "P-platfrom", which is not one of the lanes`,
  );
  expect(result.stderr).toContain('did you mean "P-platform"?');
  expect(result.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test("reviewed from inside the task's worktree: the main checkout's routes, the reviewer's own session", async ({}, testInfo) => {
  const { project, worktree } = await handedOffTask(testInfo, {
    lane: 'P-platform',
    files: { 'stack/idp/provider.ts': '// the callback fix\n' },
  });
  // The implementer's branch drops the route that sends its change to C-ops (uncommitted, or committed).
  project.write(
    { 'governance.yaml': project.read('governance.yaml').replace('paths: [stack/idp/**, ', 'paths: [') },
    worktree,
  );
  const route = await project.packgate(['review', 'route', '--task', EXAMPLE_TASK], {}, worktree);
  expect(route.stdout).toContain('  lane C-ops must review stack/idp/provider.ts\n');
  const submit = ['review', 'submit', '--task', EXAMPLE_TASK, '--accept', '--actor', 'reviewer'];
  const unrouted = await project.packgate(submit, {}, worktree);
  expect(unrouted.stderr).toContain('the change must be reviewed for lane C-ops');
  expect(unrouted.exitCode).toBe(1);
  // An accept takes the branch only with nothing left uncommitted beside it.
  project.git(['checkout', '--', 'governance.yaml'], worktree);
  // No --session: the worktree's pointer names the implementer's session (agent-1), not the reviewer's.
  const accepted = await project.packgate([...submit, '--lane', 'C-ops'], {}, worktree);
  expect(accepted.exitCode, accepted.output).toBe(0);
  expect(accepted.stdout).toContain(`task ${EXAMPLE_TASK}: in_review -> done`);
});

test('a lane that names its reviewers: the route says who, and anyone else reviewing for it is refused, exit 1, nothing written', async ({}, testInfo) => {
  const { project } = await handedOffTask(testInfo, {
    lane: 'P-platform',
    files: { 'stack/idp/provider.ts': '// the callback fix\n' },
  });
  // In a governance file of another name (packgate.yaml governance:), which the refusal names, at the line.
  const governance = project.read('governance.yaml').replace('  C-ops:\n', '  C-ops:\n    reviewers: [carol, dan]\n');
  project.write({
    'governance.yaml': null,
    'config/lanes.yaml': governance,
    'packgate.yaml': `${project.read('packgate.yaml')}governance: config/lanes.yaml\n`,
  });
  const line = governance.split('\n').indexOf('    reviewers: [carol, dan]') + 1;

  const route = await project.packgate(['review', 'route', '--task', EXAMPLE_TASK]);
  expect(route.stdout).toContain(
    '  lane C-ops must review stack/idp/provider.ts\n' +
      `    because route stack/idp/**: ${AUTH_WHY}\n` +
      '    reviewed by carol, dan (lanes.C-ops.reviewers)\n',
  );
  const { body } = await project.json(['review', 'route', '--task', EXAMPLE_TASK]);
  expect(body).toMatchObject({ reviewers: [{ lane: 'C-ops', actors: ['carol', 'dan'] }] });

  const before = project.storeSnapshot();
  const submit = (actor: string, ...decision: string[]) =>
    project.packgate(['review', 'submit', '--task', EXAMPLE_TASK, ...decision, '--lane', 'C-ops', '--actor', actor]);
  const outsider = await submit('reviewer', '--accept', '--session', 'rev-1');
  expect(outsider.stderr).toBe(
    `packgate: reviewer does not review for lane C-ops: config/lanes.yaml:${line} names carol, dan (lanes.C-ops.reviewers)\n` +
      '  hint: review as one of them (--actor, PACKGATE_ACTOR), or add reviewer to lanes.C-ops.reviewers in config/lanes.yaml\n',
  );
  expect(outsider.exitCode).toBe(1);
  // Asking for changes names the lane as well: the same refusal.
  const changes = await submit('reviewer', '--request-changes', '--what-failed', 'the callback is still refused');
  expect(changes.stderr).toContain('packgate: reviewer does not review for lane C-ops');
  expect(changes.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);

  // An actor is its name, the spaces around it aside (before: "carol " was refused as not carol).
  const accepted = await submit('carol ', '--accept', '--session', 'rev-1');
  expect(accepted.exitCode, accepted.output).toBe(0);
  expect(accepted.stdout).toContain(`task ${EXAMPLE_TASK}: in_review -> done\n`);
});

test('a lane whose only reviewer handed the task off: the refusal says so and how out of it, nothing written', async ({}, testInfo) => {
  // Before: "a reviewer is someone else", though nobody else may accept for the lane.
  const { project } = await handedOffTask(testInfo, {
    lane: 'P-platform',
    files: { 'stack/idp/provider.ts': '// the callback fix\n' },
  });
  project.write({
    'governance.yaml': project.read('governance.yaml').replace('  C-ops:\n', '  C-ops:\n    reviewers: [tester]\n'),
  });
  const before = project.storeSnapshot();
  const own = await project.packgate(
    ['review', 'submit', '--task', EXAMPLE_TASK, '--accept', '--lane', 'C-ops', '--session', 'rev-1'],
    { PACKGATE_ACTOR: 'tester' },
  );
  expect(own.stderr).toMatch(
    new RegExp(
      `^packgate: tester handed ${EXAMPLE_TASK} off \\(handoff #\\d+\\) and cannot review it, and is the only reviewer of lane C-ops, which must accept it\n` +
        '  hint: add another reviewer to lanes.C-ops.reviewers in governance.yaml, or a coordinator moves it to done: ' +
        `packgate task move ${EXAMPLE_TASK} done --force --reason "..."\n$`,
    ),
  );
  expect(own.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);
});

test('governance.yaml: a lane whose reviewers list nobody is a located error, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const governance = project.read('governance.yaml').replace('  C-ops:\n', '  C-ops:\n    reviewers: []\n');
  project.write({ 'governance.yaml': governance });
  const line = governance.split('\n').indexOf('    reviewers: []') + 1;
  const result = await project.packgate(['lint']);
  expect(result.stdout).toContain(
    `governance.yaml:${line}:16 lanes.C-ops.reviewers: "reviewers" is empty: name the actors who review for this lane, or leave reviewers out`,
  );
  expect(result.exitCode).toBe(2);
});

test('a lane that names its reviewers is not passed by an accept for an open lane routed beside it: refused, exit 1, nothing written', async ({}, testInfo) => {
  // A Q-gate task touching src/oidc/: routed to C-ops (src/oidc/**, its reviewers carol and dan) and
  // to Q-gate (src/**, anyone's). Before: anyone but the implementer accepted it with --lane Q-gate.
  const { project } = await handedOffTask(testInfo, {
    lane: 'Q-gate',
    files: { 'src/oidc/error-text.ts': '// a tweak\n' },
  });
  project.write({
    'governance.yaml': project.read('governance.yaml').replace('  C-ops:\n', '  C-ops:\n    reviewers: [carol, dan]\n'),
  });

  const route = await project.packgate(['review', 'route', '--task', EXAMPLE_TASK]);
  expect(route.stdout).toContain(
    '    reviewed by carol, dan (lanes.C-ops.reviewers)\n' +
      '  lane Q-gate must review src/oidc/error-text.ts\n' +
      '    because route src/**: the generic core decides every verdict\n' +
      '  accepted only for lane C-ops, by its reviewers: a review for Q-gate does not stand in for theirs\n',
  );

  const before = project.storeSnapshot();
  const accept = ['review', 'submit', '--task', EXAMPLE_TASK, '--accept', '--session', 'rev-1'];
  const submit = (actor: string, lane: string) => project.packgate([...accept, '--lane', lane, '--actor', actor]);
  const open = await submit('mallory', 'Q-gate');
  expect(open.stderr).toBe(
    'packgate: the change must be reviewed for lane C-ops (C-ops: src/oidc/error-text.ts, reviewed by carol, dan); ' +
      'not Q-gate: a routed lane that lists its reviewers is reviewed for by them, not passed by a review for another lane\n' +
      `  hint: review it for C-ops as one of carol, dan: --lane C-ops --actor <name> (packgate review route --task ${EXAMPLE_TASK} says why)\n`,
  );
  expect(open.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);

  const accepted = await submit('carol', 'C-ops');
  expect(accepted.exitCode, accepted.output).toBe(0);
  expect(accepted.stdout).toContain(`task ${EXAMPLE_TASK}: in_review -> done\n`);
});

test('a task in review whose worktree is gone is refused by route and submit, saying how to check it out again; nothing written', async ({}, testInfo) => {
  const { project, worktree } = await handedOffTask(testInfo, {
    lane: 'P-platform',
    files: { 'stack/idp/provider.ts': '// the callback fix\n' },
  });
  project.git(['worktree', 'remove', '--force', worktree]);
  const before = project.storeSnapshot();
  // Before: both judged the main checkout's commits since the task's base, none of the task's own.
  for (const args of [
    ['review', 'route', '--task', EXAMPLE_TASK],
    [
      'review',
      'submit',
      '--task',
      EXAMPLE_TASK,
      '--accept',
      '--lane',
      'C-ops',
      '--actor',
      'reviewer-1',
      '--session',
      'r-1',
    ],
  ]) {
    const result = await project.packgate(args);
    expect(result.stderr).toBe(
      `packgate: task ${EXAMPLE_TASK}'s worktree ${worktree} is gone: its work is on branch task/${EXAMPLE_TASK}, not in this checkout\n` +
        `  hint: check its branch out there again: git worktree prune && git worktree add ${worktree} task/${EXAMPLE_TASK}\n`,
    );
    expect(result.exitCode).toBe(2);
  }
  expect(project.storeSnapshot()).toEqual(before);
  // As the hint says: checked out again, the route reads the task's own change.
  project.git(['worktree', 'prune']);
  project.git(['worktree', 'add', worktree, `task/${EXAMPLE_TASK}`]);
  const route = await project.packgate(['review', 'route', '--task', EXAMPLE_TASK]);
  expect(route.stdout).toContain('lane C-ops must review stack/idp/provider.ts');
});
