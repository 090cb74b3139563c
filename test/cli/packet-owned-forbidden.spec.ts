import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';

test.describe.configure({ timeout: 120_000 });

const inputs = [
  '--task-id',
  'T-1',
  '--owner-lane',
  'C-ops',
  '--goal',
  'g',
  '--acceptance',
  'a',
  '--pack',
  'auth-session',
];

// Before: written and recorded ready, though C-ops's must_not_touch (src/**) forbids every file the
// task owns: its worker's first change stopped the task and escalated it.
test('owned files that must_not_touch takes back whole are refused, exit 2, nothing written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  const result = await project.packgate(['packet', 'new', ...inputs, '--owned-files', 'src/packet/**']);
  expect(result.stderr).toBe(`packgate: packet new cannot write a complete packet:
  owned_files[0]: owned_files "src/packet/**" lies under must_not_touch[1] "src/**": every change to its files would stop the task and escalate
    hint: narrow or drop "src/**" (packet new adds the must_not_touch of governance.yaml), or give the task to the lane that owns these files
  (1 error)
  hint: fix what is wrong by flag or env var (see packet new --help); nothing was written
`);
  expect(result.exitCode).toBe(2);
  expect(project.exists('.packgate/packets/T-1.yaml')).toBe(false);
  expect(project.storeSnapshot()).toBe('no store');
});

test('an exception carved out of ownership is no conflict: the packet is written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  const result = await project.packgate([
    'packet',
    'new',
    ...inputs,
    '--owned-files',
    'packs/auth-session/;**/*.md',
    '--must-not-touch',
    'packs/auth-session/secret/**;docs/**',
  ]);
  expect(result.stdout).toContain('task T-1 recorded in the queue store: ready');
  expect(result.exitCode).toBe(0);
});
