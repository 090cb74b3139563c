import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { withManualCheck } from '../helpers/manual-run.ts';
import { TempProject } from '../helpers/temp-project.ts';

const record = ['manual', 'record', '--pack', 'auth-session', '--env', 'local', '--check', 'shell-greets'];

/** Every byte the store wrote (the database, its journal, the blobs), as text to search. */
function storeBytes(project: TempProject): string {
  const root = path.join(project.dir, '.packgate');
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map(name => path.join(root, name))
    .filter(file => fs.statSync(file).isFile())
    .map(file => fs.readFileSync(file).toString('latin1'))
    .join('\n');
}

// Before: the evidence was redacted with the environment's secrets, the note only for credential
// patterns, so a password typed in the note was stored, printed and read into verdict.json as it was.
test("a note that holds one of the environment's secrets is stored and printed redacted, like the evidence", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  withManualCheck(project);
  const password = 'manual-note-' + Date.now();
  project.env.PACKGATE_LOCAL_USER_PASSWORD = password;
  fs.writeFileSync(path.join(project.dir, 'notes.txt'), `typed ${password} at the IdP\n`);
  const result = await project.packgate([
    ...record,
    ...['--result', 'pass', '--lane', 'C-ops', '--evidence', 'notes.txt', '--json'],
    ...['--note', `signed in with ${password}, header fine`],
  ]);
  expect(result.exitCode, result.output).toBe(0);
  expect(JSON.parse(result.stdout).verdict.note).toBe('signed in with [REDACTED], header fine');
  expect(result.output).not.toContain(password);
  expect(storeBytes(project)).not.toContain(password);
});

// Before: lint took it, and the verdict's expiry overflowed the date: "internal error: ZodError" or
// "RangeError: Invalid time value", exit 1, and for `manual run` only after the person did the check.
test('a valid_for longer than a verdict may count is refused where it is written, before the check is done: exit 2, nothing recorded', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  withManualCheck(project);
  project.edit('packs/auth-session/pack.yaml', text => text.replace('valid_for: 2d', 'valid_for: 999999999d'));
  const line = project.read('packs/auth-session/pack.yaml').split('\n').indexOf('    valid_for: 999999999d') + 1;
  const said =
    `packs/auth-session/pack.yaml:${line}:16 manual[0].valid_for: is longer than a verdict may count ` +
    '(at most 36500d, a hundred years): give how long a verdict stays true of the product, e.g. 7d\n';
  // lint says it first, where the pack is written.
  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(2);
  expect(lint.stdout).toContain(said);
  fs.writeFileSync(path.join(project.dir, 'notes.txt'), 'fine\n');
  const recorded = await project.packgate([
    ...record,
    '--result',
    'pass',
    '--lane',
    'C-ops',
    '--evidence',
    'notes.txt',
  ]);
  expect(recorded.exitCode, recorded.output).toBe(2);
  expect(recorded.stderr).toContain(said);
  // `manual run` says it before it asks for a display, so before a browser opens.
  const run = await project.packgate([...record.with(1, 'run'), '--lane', 'C-ops'], {
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
  });
  expect(run.exitCode, run.output).toBe(2);
  expect(run.stderr).toContain(said);
  expect(project.exists('.packgate')).toBe(false);
});

// Before: both were stored as "notes.txt", and the verdict could not say which file was which.
test('two evidence files of one name are kept under the paths given, so the verdict tells them apart', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  withManualCheck(project);
  for (const dir of ['before', 'after']) {
    fs.mkdirSync(path.join(project.dir, dir));
    fs.writeFileSync(path.join(project.dir, dir, 'notes.txt'), `${dir}: header fine\n`);
  }
  fs.writeFileSync(path.join(project.dir, 'shot.txt'), 'the header\n');
  const result = await project.packgate([
    ...record,
    ...['--result', 'pass', '--lane', 'C-ops', '--json'],
    ...['--evidence', 'before/notes.txt', '--evidence', './after/notes.txt', '--evidence', 'shot.txt'],
  ]);
  expect(result.exitCode, result.output).toBe(0);
  const names = JSON.parse(result.stdout).verdict.evidence.map((e: { name: string }) => e.name);
  expect(names).toEqual(['before/notes.txt', 'after/notes.txt', 'shot.txt']);
});

// Before: kept twice, both named "notes.txt" (the path as given, normalized, where two share a name).
test('a file given twice as evidence (notes.txt, ./notes.txt) is kept once', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  withManualCheck(project);
  fs.writeFileSync(path.join(project.dir, 'notes.txt'), 'header fine\n');
  const result = await project.packgate([
    ...record,
    ...['--result', 'pass', '--lane', 'C-ops', '--json'],
    ...['--evidence', 'notes.txt', '--evidence', './notes.txt'],
  ]);
  expect(result.exitCode, result.output).toBe(0);
  const names = JSON.parse(result.stdout).verdict.evidence.map((e: { name: string }) => e.name);
  expect(names).toEqual(['notes.txt']);
});
