import { expect, test } from '@playwright/test';
import { parse, stringify } from 'yaml';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

const PACKET_FILE = `.packgate/packets/${EXAMPLE_TASK}.yaml`;

test('attach replaces the packet of a task, recording the change', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const packet = parse(project.read(PACKET_FILE));
  project.write({ [PACKET_FILE]: stringify({ ...packet, owned_files: [...packet.owned_files, 'fixtures/oidc.ts'] }) });
  const result = await project.packgate(['packet', 'attach', PACKET_FILE]);
  expect(result.stdout).toBe(`task ${EXAMPLE_TASK} updated with packet ${PACKET_FILE}: ready\n`);
  expect(result.exitCode).toBe(0);
  const stored = await project.packgate(['task', 'show', EXAMPLE_TASK, '--packet']);
  expect(stored.stdout).toContain('  - fixtures/oidc.ts\n');
  const { body } = await project.json<{ events: Array<{ kind: string; body: { digest: string; previous: string } }> }>([
    'task',
    'show',
    EXAMPLE_TASK,
  ]);
  const update = body.events.filter(e => e.kind === 'packet').at(-1)!;
  expect(update.body.previous).toMatch(/^[0-9a-f]{64}$/);
  expect(update.body.digest).not.toBe(update.body.previous);
});

test('attach to a proposed follow-up makes it ready; to a new id creates it', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  project.sql(
    `INSERT INTO tasks (id, title, state, origin, created_at, created_by, updated_at) VALUES ('FU-1', 'follow-up', 'proposed', ?, 'x', 'x', 'x')`,
    EXAMPLE_TASK,
  );
  const packet = parse(project.read(PACKET_FILE));
  project.write({
    'fu.yaml': stringify({ ...packet, task_id: 'FU-1', goal: 'the follow-up' }),
    'new.yaml': stringify({ ...packet, task_id: 'NEW-1' }),
  });
  const followUp = await project.packgate(['packet', 'attach', 'fu.yaml']);
  expect(followUp.stdout).toBe('task FU-1 updated with packet fu.yaml: ready\n');
  const created = await project.packgate(['packet', 'attach', 'new.yaml']);
  expect(created.stdout).toBe('task NEW-1 recorded with packet new.yaml: ready\n');
});

test('a packet that does not pass is not attached: exit 2, store unchanged', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const before = project.storeSnapshot();
  const packet = parse(project.read(PACKET_FILE));
  project.write({ [PACKET_FILE]: stringify({ ...packet, workflow_regression_pack: 'nope', stop_conditions: [] }) });
  const result = await project.packgate(['packet', 'attach', PACKET_FILE]);
  expect(result.stderr).toContain(`packgate: packet ${PACKET_FILE} does not pass (2 errors in 1 file):`);
  expect(result.stderr).toContain('workflow_regression_pack: pack "nope" does not exist');
  expect(result.stderr).toContain('stop_conditions: "stop_conditions" is empty');
  expect(result.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

// Before: '"owned_files" is empty', with what goes there only in the hint, and zod's list message where the hint was not.
test('an empty required list of a packet says it is empty and what to list there, located, exit 2, nothing attached', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const before = project.storeSnapshot();
  const packet = parse(project.read(PACKET_FILE));
  project.write({ 'empty.yaml': stringify({ ...packet, owned_files: [], acceptance: [] }) });
  const lines = project.read('empty.yaml').split('\n');
  const row = (field: string) => lines.findIndex(line => line.startsWith(`${field}:`)) + 1;
  const result = await project.packgate(['packet', 'attach', 'empty.yaml']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stderr).toContain(
    `empty.yaml:${row('owned_files')}:1 owned_files: "owned_files" is empty: list globs of the files this task may ` +
      'change, e.g. ["packs/auth-session/**"]\n  hint: fill it in: globs of the files the task may change',
  );
  expect(result.stderr).toContain(
    `empty.yaml:${row('acceptance')}:1 acceptance: "acceptance" is empty: list the checks the handoff must prove, ` +
      'e.g. ["user can land in shell"]\n  hint: fill it in: the checks the handoff must prove (ACCEPTANCE',
  );
  expect(result.stderr).not.toContain('Too small');
  expect(project.storeSnapshot()).toEqual(before);
});

test('a done task keeps its packet', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  project.sql(`UPDATE tasks SET state = 'done'`);
  const before = project.storeSnapshot();
  const result = await project.packgate(['packet', 'attach', PACKET_FILE]);
  expect(result.stderr).toBe(`packgate: task ${EXAMPLE_TASK} is done; its packet is final\n  hint: open a new task\n`);
  expect(result.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});
