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
