import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';

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
