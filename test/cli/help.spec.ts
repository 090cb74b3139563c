import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { REPO } from '../helpers/temp-project.ts';

// Help reads no project: run in the repository itself, as version.spec.ts does.
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(REPO, 'bin/packgate.js'), ...args], { cwd: REPO, encoding: 'utf8' });

// Before: `help task start` printed the help of `task` (commander reads one word after help), and
// `help tsk` printed the whole help on stderr, exit 2, without a word of what was wrong.
test('help <command> <subcommand> is that subcommand\'s help; a misspelt name is "unknown command", did you mean, exit 2', () => {
  const start = cli('help', 'task', 'start');
  expect(start.status, start.stderr).toBe(0);
  expect(start.stdout).toBe(cli('task', 'start', '--help').stdout);
  expect(start.stdout).toMatch(/^Usage: packgate task start \[options\] <id>\n/);
  expect(cli('task', 'help', 'start').stdout).toBe(start.stdout);

  const group = cli('help', 'task');
  expect(group.status, group.stderr).toBe(0);
  expect(group.stdout).toMatch(/^Usage: packgate task \[options\] \[command\]\n/);

  const typo = cli('help', 'tsk');
  expect(typo.status).toBe(2);
  expect(typo.stdout).toBe('');
  expect(typo.stderr).toMatch(/^error: unknown command 'tsk'\n\(Did you mean task\?\)\n/);

  const sub = cli('help', 'task', 'strat');
  expect(sub.status).toBe(2);
  expect(sub.stderr).toMatch(/^error: unknown command 'strat'\n\(Did you mean start\?\)\n/);
  expect(sub.stderr).toContain('Usage: packgate task [options] [command]');

  const help = cli('help', 'help');
  expect(help.status, help.stderr).toBe(0);
  expect(help.stdout).toBe(cli('--help').stdout);
});

// Before: a required option read as any other (`--reason <text>  why, recorded with the move`), found
// out only by leaving it out; a repeatable option showed its empty start, `(default: [])`.
test('--help marks the options a command requires, and shows no empty list as a default', () => {
  const release = cli('task', 'release', '--help').stdout;
  expect(release).toMatch(/^ {2}--reason <text> +why, recorded with the move \(required\)$/m);
  expect(release).toMatch(/^ {2}--session <id> +the session releasing it \(PACKGATE_SESSION\)$/m);
  expect(cli('pack', 'new', '--help').stdout.match(/\(required\)/g)).toHaveLength(3);

  const drift = cli('drift', '--help').stdout;
  expect(drift).toMatch(/^ {2}--task <id> +the task \(required\)$/m);
  expect(drift).toMatch(
    /^ {2}--needed <glob> +outside changes the task needs: escalate them \(rule 2;\n +repeatable\)$/m,
  );
  for (const command of [['drift'], ['handoff'], ['review', 'submit']])
    expect(cli(...command, '--help').stdout, command.join(' ')).not.toContain('(default: [])');
});

// Before: the exit codes and what --json promises were in README.md alone.
test('packgate --help says what the exit codes mean and what --json prints', () => {
  const help = cli('--help');
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('\nExit codes: 0 ok; 1 what the command checks said no');
  expect(help.stdout).toContain('2 bad input');
  expect(help.stdout).toContain('With --json a command prints one JSON\nobject on stdout, its errors too');
  expect(help.stdout).toContain('packgate help <command> [<subcommand>]');
});

// Before: watch run, watch close, task dispatch and manual's --actor said PACKGATE_ACTOR alone, as if
// leaving both out recorded no one; every command records user@host then, as the others said.
test("--help of every command that records who acted gives --actor's default", () => {
  for (const command of [
    ['watch', 'run'],
    ['watch', 'close'],
    ['task', 'dispatch'],
    ['manual', 'run'],
    ['manual', 'record'],
    ['task', 'start'],
  ]) {
    const help = cli(...command, '--help').stdout.replace(/\s+/g, ' ');
    expect(help, command.join(' ')).toMatch(/--actor <name> [^-]*\(PACKGATE_ACTOR; default user@host\)/);
  }
});

// Before: dashboard --help said anything but 127.0.0.1 is reachable by others, though ::1 and 127.0.0.2
// are loopback too (no warning is printed for them, rightly), and said nothing of an empty --host.
test('dashboard --help says which hosts others reach: those that are not loopback, as its warning judges', () => {
  const help = cli('dashboard', '--help').stdout.replace(/\s+/g, ' ');
  expect(help).not.toContain('anything but 127.0.0.1');
  expect(help).toContain(
    '--host <host> interface to listen on (default 127.0.0.1); one that is not loopback (127.x, ::1)',
  );
  expect(help).toContain('an empty one is refused');
});

// Before: queue import --help listed the entry fields without track and depends_on, which the README
// documents and the import takes: a user reading the help recorded no task graph.
test('queue import --help lists every field an entry takes', () => {
  const help = cli('queue', 'import', '--help').stdout.replace(/\s+/g, ' ');
  for (const field of [
    'id',
    'title',
    'state',
    'kind',
    'lane',
    'track',
    'created_at',
    'packet',
    'legacy_reason',
    'depends_on',
    'events',
  ])
    expect(help, field).toMatch(new RegExp(`[(, ]${field}[,)]`));
});

// Before: watch new --help gave 90s and 15m as the forms of --expected-duration, though 2h and 1d are
// taken too, and said nothing of its bound: 20d was refused, its deadline (x watch.grace) past 24.8 days.
test('watch new --help gives every unit --expected-duration takes, and its bound', () => {
  const help = cli('watch', 'new', '--help').stdout.replace(/\s+/g, ' ');
  expect(help).toContain('--expected-duration <d> WATCH_EXPECTED_DURATION: e.g. 90s, 15m, 2h, 1d, or seconds');
  expect(help).toContain('times watch.grace, the deadline, at most 24.8 days');
});
