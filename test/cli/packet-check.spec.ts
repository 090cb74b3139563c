import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { stringify } from 'yaml';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

const packet = {
  task_id: 'T-1',
  track_id: 'T',
  owner_lane: 'C-ops',
  goal: 'Make the callback check block',
  non_goals: ['no proxy work'],
  current_state: 'not started',
  architecture_context: ['auth-session at api'],
  environment: 'local',
  owned_files: ['packs/**'],
  must_not_touch: ['src/**'],
  commands_to_run: ['npx playwright test --project=local-api'],
  acceptance: ['it blocks'],
  workflow_regression_pack: 'auth-session',
  known_risks: ['none known'],
  stop_conditions: ['it needs src/'],
  deviation_rules: ['the four drift rules'],
  handoff_required: ['files changed'],
};

test('a complete packet file passes, exit 0', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({ 't1.yaml': stringify(packet) });
  const result = await project.packgate(['packet', 'check', 't1.yaml']);
  expect(result.stdout).toBe('packet ok: t1.yaml: task T-1, lane C-ops, pack auth-session in local\n');
  expect(result.exitCode).toBe(0);
});

test('every missing and empty field is named with its path and position, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const { goal: _goal, acceptance: _acceptance, ...rest } = packet;
  project.write({
    't1.yaml': stringify({ ...rest, non_goals: [], current_state: '', known_risks: ['ok', ''] }),
  });
  const result = await project.packgate(['packet', 'check', 't1.yaml']);
  expect(result.stderr).toBe(`packgate: packet t1.yaml does not pass (5 errors in 1 file):
t1.yaml:1:1 acceptance: missing required field "acceptance"
  hint: add "acceptance:": the checks the handoff must prove (ACCEPTANCE, ";"-separated)
t1.yaml:1:1 goal: missing required field "goal"
  hint: add "goal:": what done looks like, in a sentence (GOAL)
t1.yaml:4:1 non_goals: "non_goals" is empty: list what this task must not turn into
  hint: fill it in: what this task must not turn into (NON_GOALS, ";"-separated; governance.yaml adds defaults)
t1.yaml:5:1 current_state: "current_state" is empty
  hint: fill it in: where things stand when the task starts (CURRENT_STATE)
t1.yaml:18:5 known_risks[1]: item 2 of "known_risks" is empty
  hint: fill it in or remove it
  hint: fix each problem above; schemas/packet.schema.json describes every field
`);
  expect(result.exitCode).toBe(2);
});

// Before: "acceptance[0].text: is empty", saying neither which field nor what goes there.
test("an acceptance item's empty text says it is empty and what to write there, exit 2", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({ 't1.yaml': stringify({ ...packet, acceptance: [{ text: '  ', pack: 'auth-session' }] }) });
  const result = await project.packgate(['packet', 'check', 't1.yaml']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stderr).toBe(`packgate: packet t1.yaml does not pass (1 error in 1 file):
t1.yaml:18:11 acceptance[0].text: "text" is empty: write a check the handoff must prove, e.g. "user can land in shell"
  hint: see schemas/packet.schema.json for what this field takes
  hint: fix each problem above; schemas/packet.schema.json describes every field
`);
});

test('unknown pack, environment, lane and project are each named, with a suggestion', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({
    't1.yaml': stringify({
      ...packet,
      owner_lane: 'c-ops',
      environment: 'locl',
      workflow_regression_pack: 'auth-sesion',
      commands_to_run: ['npx playwright test --project=local-remote'],
    }),
  });
  const result = await project.packgate(['packet', 'check', 't1.yaml']);
  const lines = result.stderr.split('\n');
  expect(lines).toEqual([
    'packgate: packet t1.yaml does not pass (4 errors in 1 file):',
    't1.yaml:3:13 owner_lane: lane "c-ops" is not in governance.yaml',
    '  hint: did you mean "C-ops"?',
    't1.yaml:10:14 environment: environment "locl" does not exist',
    '  hint: did you mean "local"?',
    't1.yaml:16:5 commands_to_run[0]: playwright project "local-remote" does not exist',
    '  hint: known projects: demo-sign-in, demo-remote, local-sign-in, local-api, local-browser, parity-sign-in, ' +
      'parity-api, parity-browser, parity-parity, prod-sign-in, prod-remote, staging-sign-in, staging-remote',
    't1.yaml:19:27 workflow_regression_pack: pack "auth-sesion" does not exist',
    '  hint: did you mean "auth-session"?',
    '  hint: fix each problem above; schemas/packet.schema.json describes every field',
    '',
  ]);
  expect(result.exitCode).toBe(2);
});

test('a pack that does not run in the environment is refused', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  // An environment that excludes the pack (a pack's policy without dev would leave its api layer
  // run by no environment, which lint refuses before any packet is read).
  const lab = project
    .read('environments/demo.yaml')
    .replace('name: demo', 'name: lab')
    .concat('packs:\n  exclude:\n    - { pack: auth-session, reason: "the lab signs in elsewhere" }\n');
  project.write({ 't1.yaml': stringify({ ...packet, environment: 'lab' }), 'environments/lab.yaml': lab });
  const result = await project.packgate(['packet', 'check', 't1.yaml']);
  expect(result.stderr).toMatch(
    /t1\.yaml:10:14 environment: pack "auth-session" does not run in environment "lab"\n {2}hint: it runs in: (demo|local|parity|prod|staging)(, (demo|local|parity|prod|staging)){4}\n/,
  );
  expect(result.exitCode).toBe(2);
});

test('malformed YAML is located, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({ 'bad.yaml': 'task_id: T-1\nnon_goals: [a,\ngoal: x\n' });
  const result = await project.packgate(['packet', 'check', 'bad.yaml']);
  expect(result.stderr).toMatch(
    /^packgate: packet bad\.yaml does not pass \(\d+ errors? in 1 file\):\nbad\.yaml:\d+:\d+ /,
  );
  expect(result.exitCode).toBe(2);
});

test('malformed JSON is located at the offending character, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({ 'bad.json': '{\n  "task_id": "T-1",\n  "goal": "x",\n}\n' });
  const result = await project.packgate(['packet', 'check', 'bad.json']);
  expect(result.stderr).toMatch(
    /^packgate: packet bad\.json does not pass \(1 error in 1 file\):\nbad\.json:4:1 .*JSON/,
  );
  expect(result.exitCode).toBe(2);
});

test('a value that looks like a secret is refused', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({
    't1.json': JSON.stringify({ ...packet, current_state: 'login works with password: "hunter2-long"' }, null, 2),
  });
  const result = await project.packgate(['packet', 'check', 't1.json']);
  expect(result.stderr).toContain(
    't1.json:9:20 current_state: looks like it holds a secret (a token, password, cookie or OAuth code)',
  );
  expect(result.exitCode).toBe(2);
});

// Before: accepted. Globs are matched against paths as git names them (`src/x.ts`), so
// "./stack/**" matched nothing: a must_not_touch that let every change to stack/ through.
test('a glob no path could match ("./", "\\", an empty folder) is refused with the glob meant, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({
    't1.yaml': stringify({
      ...packet,
      owned_files: ['./packs/**'],
      must_not_touch: ['src\\**', 'stack//x/', 'docs/../src/**'],
    }),
  });
  const result = await project.packgate(['packet', 'check', 't1.yaml']);
  const said = (glob: string, meant?: string) =>
    'must be a path glob relative to the repository root, as git names files ("/" between folders, ' +
    `no ".", ".." or empty folder): "${glob}" would match no file${meant ? `; write "${meant}"` : ''}\n`;
  expect(result.stderr).toContain(`t1.yaml:12:5 owned_files[0]: ${said('./packs/**', 'packs/**')}`);
  expect(result.stderr).toContain(`t1.yaml:14:5 must_not_touch[0]: ${said('src\\**', 'src/**')}`);
  expect(result.stderr).toContain(`t1.yaml:15:5 must_not_touch[1]: ${said('stack//x/', 'stack/x/')}`);
  expect(result.stderr).toContain(`t1.yaml:16:5 must_not_touch[2]: ${said('docs/../src/**')}`);
  expect(result.exitCode).toBe(2);
});

// Before: accepted. Git names a change by its file's path, never by a folder's: "stack" forbade
// nothing under stack/, "packs/auth-session" owned none of the pack's files.
test('a glob that names a folder without wildcards is refused, saying to write it with "/"; a link to one is a file', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  fs.symlinkSync('packs', path.join(project.dir, 'packs-link'));
  project.write({
    't1.yaml': stringify({
      ...packet,
      owned_files: ['packs/auth-session', 'packs-link'],
      must_not_touch: ['src/**', 'stack'],
    }),
  });
  const result = await project.packgate(['packet', 'check', 't1.yaml']);
  expect(result.stderr).toBe(`packgate: packet t1.yaml does not pass (2 errors in 1 file):
t1.yaml:12:5 owned_files[0]: "packs/auth-session" is a folder: a glob matches files, so this one owns none of the files in it
  hint: write "packs/auth-session/" (the folder and everything under it)
t1.yaml:16:5 must_not_touch[1]: "stack" is a folder: a glob matches files, so this one forbids none of the files in it
  hint: write "stack/" (the folder and everything under it)
  hint: fix each problem above; schemas/packet.schema.json describes every field
`);
  expect(result.exitCode).toBe(2);
});

test("the packet stored on a task is checked against today's catalogue", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  // The lane renamed, its review routes with it (a route to a lane that does not exist is refused).
  const renamed = project.read('governance.yaml').replace('  C-ops:', '  C-release:');
  project.write({ 'governance.yaml': renamed.replaceAll('lane: C-ops', 'lane: C-release') });
  const result = await project.packgate(['packet', 'check', EXAMPLE_TASK]);
  expect(result.stderr).toContain(
    `task:${EXAMPLE_TASK}:5:13 owner_lane: lane "C-ops" is not in governance.yaml\n` +
      '  hint: known lanes: C-release, A-web, B-runtime, D-platform-control, P-platform, Q-gate',
  );
  expect(result.exitCode).toBe(2);
});

test('a file that does not exist and a task that does not exist are named, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const file = await project.packgate(['packet', 'check', 'nope.yaml']);
  expect(file.stderr).toBe(
    'packgate: packet nope.yaml: no such file\n  hint: give the path of a packet file (YAML or JSON) or the id of a task in the store\n',
  );
  expect(file.exitCode).toBe(2);
  // Said in words, not as Node's code (before: "cannot read packet nope.yaml: ENOENT", "...packs: EISDIR").
  const folder = await project.packgate(['packet', 'check', 'packs']);
  expect(folder.stderr).toMatch(/^packgate: packet packs: a folder, not a file\n {2}hint: /);
  expect(folder.exitCode).toBe(2);
  const task = await project.packgate(['packet', 'check', 'NOPE-1']);
  expect(task.stderr).toBe(
    'packgate: no task NOPE-1 in the queue store\n  hint: list tasks with: packgate task list\n',
  );
  expect(task.exitCode).toBe(2);
});

test('--json lists the diagnostics as data', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({ 't1.yaml': stringify({ ...packet, goal: '' }) });
  const { result, body } = await project.json(['packet', 'check', 't1.yaml']);
  expect(result.exitCode).toBe(2);
  expect(body).toMatchObject({
    ok: false,
    error: {
      code: 'PACKET_INVALID',
      diagnostics: [
        {
          severity: 'error',
          rule: 'empty-field',
          file: 't1.yaml',
          line: 4,
          col: 1,
          path: 'goal',
          message: '"goal" is empty',
        },
      ],
    },
  });
});

/** What an editor on Windows saves: a byte order mark first, CRLF line ends. */
const windows = (text: string) => `\uFEFF${text.replace(/\n/g, '\r\n')}`;

// Before: JSON.parse stopped at the mark, "t1.json:1:1 Unexpected token '\uFEFF'", an invisible
// character, while the same packet as YAML, mark and all, passed.
test('a JSON packet saved with a byte order mark and CRLF passes check and attaches', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({ 't1.json': windows(JSON.stringify(packet, null, 2)) });
  const check = await project.packgate(['packet', 'check', 't1.json']);
  expect(check.output).toBe('packet ok: t1.json: task T-1, lane C-ops, pack auth-session in local\n');
  expect(check.exitCode).toBe(0);
  const attach = await project.packgate(['packet', 'attach', 't1.json']);
  expect(attach.output).toBe('task T-1 recorded with packet t1.json: ready\n');
  expect(attach.exitCode).toBe(0);
});

test('a syntax error after a byte order mark is located where it is, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({ 'bad.json': windows('{\n  "task_id": "T-1",\n  "goal": "x",\n}\n') });
  const result = await project.packgate(['packet', 'check', 'bad.json']);
  expect(result.stderr).toMatch(/^packgate: packet bad\.json does not pass \(1 error in 1 file\):\nbad\.json:4:1 /);
  expect(result.exitCode).toBe(2);
});
