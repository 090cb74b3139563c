import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { REPO, TempProject } from '../helpers/temp-project.ts';

type JsonError = { ok: boolean; error: { code: string; message: string; hint: string | null } };

/**
 * A tool that asks for `--json` reads stdout: arguments commander refuses (a required option
 * missing, a misspelt one) and errors of commands that do not go through kit's run (a broken
 * catalogue under `stack faults`) are JSON there too, exit 2, where stdout was empty.
 */
test("--json: a usage error, or a broken catalogue, is a JSON error on stdout, exit 2; commander's words stay on stderr", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const target = ['manual', 'record', '--pack', 'auth-session', '--env', 'local', '--check', 'shell-greets'];

  const missing = await project.packgate([...target, '--lane', 'C-ops', '--json']);
  expect(missing.exitCode, missing.output).toBe(2);
  expect(JSON.parse(missing.stdout) as JsonError).toEqual({
    schemaVersion: 1,
    ok: false,
    error: {
      code: 'INPUT_INVALID',
      message: "required option '--result <pass|fail>' not specified",
      hint: '`packgate manual record --help` lists its arguments and options',
      diagnostics: [],
    },
  });
  expect(missing.stderr).toContain("error: required option '--result <pass|fail>' not specified");

  const misspelt = await project.packgate([...target, '--result', 'pass', '--evidnce', 'notes.txt', '--json']);
  expect(misspelt.exitCode, misspelt.output).toBe(2);
  expect((JSON.parse(misspelt.stdout) as JsonError).error).toMatchObject({
    message: "unknown option '--evidnce'",
    hint: 'did you mean --evidence? `packgate manual record --help` lists its arguments and options',
  });

  // Without --json, stdout stays empty.
  expect((await project.packgate([...target, '--lane', 'C-ops'])).stdout).toBe('');

  // A misspelt result: the answer it is near, nothing recorded.
  const result = await project.packgate([...target, '--lane', 'C-ops', '--result', 'pas', '--json']);
  expect(result.exitCode, result.output).toBe(2);
  expect((JSON.parse(result.stdout) as JsonError).error).toMatchObject({
    message: 'the result must be pass or fail, not "pas"',
    hint: 'did you mean "pass"? say pass when you saw what the check expects, fail otherwise',
  });
  expect(project.exists('.packgate/queue.db'), 'nothing recorded').toBe(false);

  // Two outputs asked for at once: refused. Before: the JSON alone, exit 0, --markdown unheard.
  const both = await project.packgate(['stack', 'faults', '--json', '--markdown']);
  expect(both.exitCode, both.output).toBe(2);
  expect((JSON.parse(both.stdout) as JsonError).error).toMatchObject({
    code: 'INPUT_INVALID',
    message: "option '--markdown' cannot be used with option '--json'",
  });

  project.edit('packs/auth-session/pack.yaml', text => `${text}bad: [\n`);
  const faults = await project.packgate(['stack', 'faults', '--json']);
  expect(faults.exitCode, faults.output).toBe(2);
  expect((JSON.parse(faults.stdout) as JsonError).error).toMatchObject({
    code: 'CATALOGUE_INVALID',
    message: expect.stringContaining('packs/auth-session/pack.yaml:'),
  });
  expect(project.exists('.packgate/queue.db'), 'nothing recorded').toBe(false);
});

test('--json: a misspelt command name is a JSON error on stdout too, exit 2, with the name it meant', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // Before: stdout was empty, commander's words on stderr only, as if --json had not been asked.
  const verify = await project.packgate(['evidence', 'verfy', 'gate-results', '--json']);
  expect(verify.exitCode, verify.output).toBe(2);
  expect(JSON.parse(verify.stdout) as JsonError).toEqual({
    schemaVersion: 1,
    ok: false,
    error: {
      code: 'INPUT_INVALID',
      message: "unknown command 'verfy'",
      hint: 'did you mean verify? `packgate evidence --help` lists its commands',
      diagnostics: [],
    },
  });
  expect(verify.stderr).toContain("error: unknown command 'verfy'");

  const top = await project.packgate(['lnt', '--json']);
  expect(top.exitCode, top.output).toBe(2);
  expect((JSON.parse(top.stdout) as JsonError).error).toMatchObject({
    message: "unknown command 'lnt'",
    hint: 'did you mean lint? `packgate --help` lists its commands',
  });

  // Without --json, stdout stays empty.
  expect((await project.packgate(['report', 'alure'])).stdout).toBe('');
});

/**
 * commander checks required options before unknown ones: a misspelt required flag was refused as
 * not given (`required option '--task <id>' not specified`), though the user gave it, misspelt. And
 * a misspelt command answered `--json` with nothing on stdout, the group it was refused in taking no
 * --json of its own.
 */
test('a misspelt required flag is refused as unknown (did you mean); a misspelt command answers --json in JSON; exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);

  const flag = await project.packgate(['drift', '--tsak', 'T-1']);
  expect(flag.exitCode, flag.output).toBe(2);
  expect(flag.stderr).toMatch(/^error: unknown option '--tsak'\n\(Did you mean --task\?\)\n/);
  expect(flag.stderr).not.toContain('not specified');

  const flagJson = await project.packgate(['review', 'route', '--tsak', 'T-1', '--json']);
  expect(flagJson.exitCode, flagJson.output).toBe(2);
  expect((JSON.parse(flagJson.stdout) as JsonError).error).toMatchObject({
    code: 'INPUT_INVALID',
    message: "unknown option '--tsak'",
    hint: 'did you mean --task? `packgate review route --help` lists its arguments and options',
  });

  // A required flag left out is still said so, a known flag given beside it.
  const missing = await project.packgate(['drift', '--base', 'HEAD']);
  expect(missing.exitCode, missing.output).toBe(2);
  expect(missing.stderr).toMatch(/^error: required option '--task <id>' not specified\n/);

  const command = await project.packgate(['task', 'strat', 'T-1', '--json']);
  expect(command.exitCode, command.output).toBe(2);
  expect(JSON.parse(command.stdout) as JsonError).toEqual({
    schemaVersion: 1,
    ok: false,
    error: {
      code: 'INPUT_INVALID',
      message: "unknown command 'strat'",
      hint: 'did you mean start? `packgate task --help` lists its commands',
      diagnostics: [],
    },
  });
  expect(command.stderr).toContain("error: unknown command 'strat'");

  // A group given no command: the missing command is the error, not the --json its commands take.
  const none = await project.packgate(['evidence', '--json']);
  expect(none.exitCode, none.output).toBe(2);
  expect((JSON.parse(none.stdout) as JsonError).error).toMatchObject({
    code: 'INPUT_INVALID',
    message: 'packgate evidence needs a command: verify',
    hint: '`packgate evidence --help` lists its commands',
  });
  expect(project.exists('.packgate'), 'nothing written').toBe(false);
});

// Before: a --json before the command (`packgate --json stack faults`) was refused by the group as
// an unknown option, and its JSON said `packgate needs a command`, of a command that was given.
test("--json before the command is the command's --json; before a group or a misspelt command, the error is theirs", () => {
  // Read-only commands, run in the repository itself: no project to copy.
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO, 'bin/packgate.js'), ...args], { cwd: REPO, encoding: 'utf8' });
  const after = cli('stack', 'faults', '--json');
  expect(after.status, after.stderr).toBe(0);
  for (const args of [
    ['--json', 'stack', 'faults'],
    ['stack', '--json', 'faults'],
  ]) {
    const before = cli(...args);
    expect(before.status, `${args.join(' ')}: ${before.stderr}`).toBe(0);
    expect(before.stdout, args.join(' ')).toBe(after.stdout);
    expect(before.stderr).toBe('');
  }

  const group = cli('--json', 'task');
  expect(group.status).toBe(2);
  expect((JSON.parse(group.stdout) as JsonError).error.message).toMatch(/^packgate task needs a command: start, /);

  const misspelt = cli('--json', 'tsk');
  expect(misspelt.status).toBe(2);
  expect((JSON.parse(misspelt.stdout) as JsonError).error).toMatchObject({
    message: "unknown command 'tsk'",
    hint: 'did you mean task? `packgate --help` lists its commands',
  });
});
