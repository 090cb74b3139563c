import { expect } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';

test.describe.configure({ timeout: 120_000 });

const flags = ['--id', 'W-R-001', '--task-id', 'W-R', '--lane', 'C-ops', '--command', 'true'];

test('watch new --escalate "auth x0 -> C-ops": said in the flag\'s words, with what N may be; nothing written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-R', TASK_KIND: 'watch' });
  const zero = await project.packgate([
    'watch',
    'new',
    ...flags,
    '--expected-duration',
    '1m',
    '--escalate',
    'auth x0 -> C-ops',
  ]);
  expect(zero.exitCode, zero.output).toBe(2);
  // Before: "escalation[0].when.times: Too small: expected number to be >=1", with no hint.
  expect(zero.stderr).not.toContain('Too small');
  expect(zero.stderr).toContain(
    '  escalation: "auth x0 -> C-ops": x0 would never fire: N is how many closeouts it takes, at least 1\n' +
      '    hint: x1 escalates every one, x2 (the default) two in a row',
  );
  expect(project.exists('.packgate/watchers/W-R-001.yaml')).toBe(false);
});

test('watch new with nothing missing but a value wrong: the closing hint says to fix it, not to give what is missing', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-R', TASK_KIND: 'watch' });
  const wrong = await project.packgate(['watch', 'new', ...flags, '--expected-duration', '15x', '--lane', 'C-opz']);
  expect(wrong.exitCode, wrong.output).toBe(2);
  // Before: "hint: give what is missing as a flag or env var", though nothing was.
  expect(wrong.stderr).toContain(
    '\n  hint: fix what is wrong by flag or env var (see packgate watch new --help); nothing was written',
  );
  const both = await project.packgate([
    'watch',
    'new',
    '--id',
    'W-R-001',
    '--task-id',
    'W-R',
    '--command',
    'true',
    '--expected-duration',
    '15x',
  ]);
  expect(both.exitCode, both.output).toBe(2);
  expect(both.stderr).toContain('  lane: missing\n');
  expect(both.stderr).toContain('\n  hint: give what is missing and fix what is wrong by flag or env var');
  const missing = await project.packgate(['watch', 'new', '--id', 'W-R-001']);
  expect(missing.stderr).toContain('\n  hint: give what is missing by flag or env var');
  expect(project.exists('.packgate/watchers/W-R-001.yaml')).toBe(false);
});
