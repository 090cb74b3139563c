import type { Command } from 'commander';
import { GOVERNANCE_FILE_HELP, run } from './kit.ts';

const watch = () => import('./watch.ts');
const watchList = () => import('./watch-list.ts');
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Watchers: packets that say what to watch and what its ending means, supervised runs closed out
 * in the store, closeouts of jobs watched by hand; and `task dispatch`, a worker run as a watched
 * run. Exit codes: 0 ok (success), 1 the watched run did not succeed or was refused, 2 bad input.
 */
export function registerWatchCommands(program: Command): void {
  const json = ['--json', 'print the result (or the error) as JSON'] as const;
  const actor = [
    '--actor <name>',
    'who is acting, recorded with every change (PACKGATE_ACTOR; default user@host)',
  ] as const;
  const watchCommand = program.command('watch').description('watchers: watched runs, their closeouts and escalations');
  watchCommand
    .command('new')
    .description('write a watcher packet (.packgate/watchers/<id>.yaml); every flag falls back to an env var')
    .option('--id <id>', 'WATCH_ID: the watcher, e.g. W-DEMO-DEPLOY-001')
    .option('--task-id <id>', 'TASK_ID: the task its runs are closed out on (in the store)')
    .option('--lane <lane>', `OWNER_LANE: the lane watching, from ${GOVERNANCE_FILE_HELP}`)
    .option('--command <line>', 'WATCH_COMMAND: the command to run and watch')
    .option('--job-id <id>', 'WATCH_JOB_ID: an external job to watch (with --poll-command)')
    .option(
      '--poll-command <line>',
      'WATCH_POLL_COMMAND: follows the job, exits when it ends; {job_id} is replaced, shell-quoted',
    )
    .option(
      '--expected-duration <d>',
      'WATCH_EXPECTED_DURATION: e.g. 90s, 15m, 2h, 1d, or seconds; times watch.grace, the deadline, at most 24.8 days',
    )
    .option(
      '--cwd <dir>',
      "WATCH_CWD: where to run it, relative to the root; must exist (default: the task's worktree, else the root)",
    )
    .option('--success-exit-code <n>', 'WATCH_SUCCESS_EXIT_CODE: the exit code of success (default 0)')
    .option(
      '--success-verdicts <list>',
      'WATCH_SUCCESS_VERDICTS: gate verdicts that are success (default PASS,PASS_WITH_WARNINGS)',
    )
    .option(
      '--failure <class=regex>',
      "WATCH_FAILURE: a failure class's log pattern (repeatable; env ';'-separated)",
      collect,
    )
    .option('--allowed-fixes <globs>', "WATCH_ALLOWED_FIXES: ';'-separated globs a watcher may change")
    .option('--escalate <rule>', 'WATCH_ESCALATE: "<class|status> [xN] [any] -> <lane>[: why]" (repeatable)', collect)
    .option('--out <file>', 'WATCH_PACKET_FILE: where to write it')
    .option('--force', 'replace the packet file if it exists (default: refused, nothing written)')
    .option(...json)
    .action(options => run(options, async () => (await watch()).watchNew(options)));
  watchCommand
    .command('list')
    .description('the watcher packets in .packgate/watchers: id, task, lane, what each watches, its last run')
    .option(...json)
    .action(options => run(options, async () => (await watchList()).watchList(options)));
  watchCommand
    .command('show <watcher>')
    .description('a watcher packet (its id, or its file) with the runs closed out and the escalations it raised')
    .option(...json)
    .action((target, options) => run(options, async () => (await watchList()).watchShow(target, options)));
  watchCommand
    .command('run <watcher>')
    .description(
      'run a watcher packet (its id, or its file): supervised with a deadline, output to the terminal and a log kept as evidence, ' +
        'classified and closed out in the store; escalation rules applied',
    )
    .option('--session <id>', 'the watcher session (PACKGATE_SESSION; default: a new one)')
    .option(...json)
    .option(...actor)
    .action((file, options) => run(options, async () => (await watch()).watchRun(file, options)));
  watchCommand
    .command('close <watcher-or-task>')
    .description(
      'close out a job watched by hand (a watcher packet, its id or its file, or a task id): the same record as ' +
        'watch run, its evidence stored by digest',
    )
    .requiredOption('--status <status>', 'success, failure, timeout, crash or interrupted')
    .requiredOption('--evidence <file>', 'the log or report (stored redacted; failure patterns applied to it)')
    .option('--class <class>', 'the failure class (default: from the patterns)')
    .option('--exit-code <n>', 'the exit code of the job')
    .option('--session <id>', 'the watcher session (PACKGATE_SESSION)')
    .option(...json)
    .option(...actor)
    .action((target, options) => run(options, async () => (await watch()).watchClose(target, options)));

  const taskCommand = program.commands.find(c => c.name() === 'task') ?? program.command('task');
  taskCommand
    .command('dispatch <id>')
    .description(
      "start a task and run a provider's worker command in its worktree as a watched run; hand off on success, " +
        `release it back otherwise (to ready; a blocked or escalated task keeps its flag). The providers are watch.providers in ${GOVERNANCE_FILE_HELP}`,
    )
    .requiredOption('--provider <name>', 'the provider, a name under watch.providers in the governance file')
    .option(...json)
    .option(...actor)
    .action((id, options) => run(options, async () => (await import('./task-dispatch.ts')).taskDispatch(id, options)));
}
