import type { Command } from 'commander';
import { GOVERNANCE_FILE_HELP, run } from './kit.ts';

// Each command's module is loaded when it runs, so `packgate lint` and the rest pay nothing for these.
const packet = () => import('./packet.ts');
const task = () => import('./task.ts');
const session = () => import('./session.ts');
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The implementation loop on the queue store: packets, tasks, sessions, drift, handoff, gate runs.
 * Exit codes as everywhere: 0 ok, 1 the check failed (drift found, handoff incomplete, task held
 * by another session), 2 bad input (nothing written).
 */
export function registerQueueCommands(program: Command): void {
  const json = ['--json', 'print the result (or the error) as JSON'] as const;
  const actor = [
    '--actor <name>',
    'who is acting, recorded with every change (PACKGATE_ACTOR; default user@host)',
  ] as const;

  const packetCommand = program.command('packet').description('context packets: the full context a task travels with');
  packetCommand
    .command('new')
    .description(
      'write a complete context packet and record its task (ready); every flag falls back to the env var named after its field',
    )
    .option('--task-id <id>', 'TASK_ID: the task, e.g. C-AUTH-GATE-001')
    .option('--kind <kind>', 'TASK_KIND: feature (default), bugfix, coverage, watch or chore')
    .option('--track-id <id>', 'TRACK_ID: its parallel track (default: the task id)')
    .option('--owner-lane <lane>', `OWNER_LANE: the owning lane, from ${GOVERNANCE_FILE_HELP}`)
    .option('--goal <text>', 'GOAL: what done looks like')
    .option('--non-goals <a;b>', 'NON_GOALS: what it must not turn into (added to the lane and governance defaults)')
    .option('--current-state <text>', 'CURRENT_STATE: where things stand (default: not started, with the commit)')
    .option(
      '--environment <name>',
      "ENVIRONMENT: where the proof runs (default: the lane's, else the pack's first embedded one)",
    )
    .option('--owned-files <globs>', "OWNED_FILES: ';'-separated globs the task may change (default: the lane's)")
    .option(
      '--must-not-touch <globs>',
      'MUST_NOT_TOUCH: globs it must not change (added to the lane and governance defaults)',
    )
    .option('--command <line>', 'COMMANDS_TO_RUN: a command to run besides the pack commands (repeatable)', collect)
    .option('--acceptance <a;b>', "ACCEPTANCE: ';'-separated checks (the pack's required proof is added)")
    .option('--pack <id>', 'WORKFLOW_REGRESSION_PACK: the pack that protects the work')
    .option('--known-risks <a;b>', 'KNOWN_RISKS: risks (the catalogue and lane add theirs)')
    .option('--stop-conditions <a;b>', 'STOP_CONDITIONS: when to stop and hand back')
    .option('--out <file>', 'PACKET_FILE: where to write it (default .packgate/packets/<task>.yaml)')
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await packet()).packetNew(options)));
  packetCommand
    .command('check <file-or-task>')
    .description('check a packet file (YAML or JSON) or the packet stored on a task: every problem with its path')
    .option(...json)
    .action((target, options) => run(options, async () => (await packet()).packetCheck(target, options)));
  packetCommand
    .command('attach <file>')
    .description(
      'check a packet file and put it on its task (created ready, a proposed one made ready, or its packet replaced)',
    )
    .option(...json)
    .option(...actor)
    .action((file, options) => run(options, async () => (await packet()).packetAttach(file, options)));

  const taskCommand = program.command('task').description('tasks in the queue store: state machine, graph, holds');
  taskCommand
    .command('start <id>')
    .description(
      'claim a task for a session and create its git worktree and branch, the packet inside, or resume in its ' +
        'worktree; refused while its dependencies are not done',
    )
    .option('--session <id>', 'the worker session (PACKGATE_SESSION; default: a new one)')
    .option('--base <rev>', 'the commit the branch starts from (default HEAD; a resumed branch keeps its base)')
    .option('--no-worktree', 'claim only, without a worktree')
    .option('--force', 'start although tasks it depends on are not done (needs --reason)')
    .option('--reason <text>', 'why --force: recorded on the task as an override event')
    .option(...json)
    .option(...actor)
    .action((id, options) => run(options, async () => (await task()).taskStart(id, options)));
  taskCommand
    .command('release <id>')
    .description('give a held task up (the holder, anyone once the hold is stale, or --force)')
    .requiredOption('--reason <text>', 'why, recorded with the move')
    .option('--to <state>', 'ready, parked, blocked or escalated', 'ready')
    .option('--session <id>', 'the session releasing it (PACKGATE_SESSION)')
    .option('--force', "release another session's live hold")
    .option(...json)
    .option(...actor)
    .action((id, options) => run(options, async () => (await task()).taskRelease(id, options)));
  taskCommand
    .command('move <id> <state>')
    .description(
      'move a task by hand: proposed, ready, parked, blocked, escalated, done (in_progress: task start; in_review: handoff)',
    )
    .requiredOption('--reason <text>', 'why, recorded with the move')
    .option('--force', 'a coordinator moves a task in_review to done without an accepted review (recorded as forced)')
    .option(...json)
    .option(...actor)
    .action((id, state, options) => run(options, async () => (await task()).taskMove(id, state, options)));
  taskCommand
    .command('show <id>')
    .description('a task: state, holder, transitions, escalations, gate runs, events')
    .option('--packet', 'print its packet as YAML')
    .option(...json)
    .action((id, options) => run(options, async () => (await task()).taskShow(id, options)));
  taskCommand
    .command('list')
    .description('tasks, oldest first')
    .option('--state <states>', 'only these states, comma-separated')
    .option('--lane <lane>', 'only this lane')
    .option('--track <track>', 'only this track')
    .option('--held-by <session>', 'only tasks this session holds')
    .option('--stale', 'only tasks whose hold is stale')
    .option(...json)
    .action(options => run(options, async () => (await task()).taskList(options)));
  taskCommand
    .command('next')
    .description('ready tasks whose dependencies are all done')
    .option('--lane <lane>', 'only this lane')
    .option('--track <track>', 'only this track')
    .option(...json)
    .action(options => run(options, async () => (await task()).taskNext(options)));
  taskCommand
    .command('depend <id>')
    .description('make a task depend on others (cycles are refused)')
    .requiredOption('--on <id>', 'the task it depends on (repeatable)', collect)
    .option(...json)
    .option(...actor)
    .action((id, options) => run(options, async () => (await task()).taskDepend(id, options)));
  taskCommand
    .command('prove <id>')
    .description('record the proof of one acceptance item: a gate run on the task, or a file stored by digest')
    .requiredOption('--item <n>', 'the acceptance item, numbered from 1')
    .option('--run <n>', 'a gate run recorded on the task')
    .option('--file <path>', 'a file of evidence (stored by SHA-256; refused if it looks like it holds a secret)')
    .option('--note <text>', 'what the proof shows')
    .option(...json)
    .option(...actor)
    .action((id, options) => run(options, async () => (await task()).taskProve(id, options)));

  const sessionCommand = program
    .command('session')
    .description('the session registry: worker sessions, heartbeats, stale holds');
  sessionCommand
    .command('list')
    .description('live sessions and what they hold (a stale one holding tasks too, for reap)')
    .option('--all', 'also the sessions that are over: stale heartbeat, holding nothing')
    .option(...json)
    .action(options => run(options, async () => (await session()).sessionList(options)));
  sessionCommand
    .command('heartbeat [id]')
    .description("tell the store a session is alive (default: PACKGATE_SESSION or the worktree's)")
    .option('--session <id>', 'the session, as the other commands take it (the same as [id])')
    .option(...json)
    .action((id, options) => run(options, async () => (await session()).sessionHeartbeat(id, options)));
  sessionCommand
    .command('reap')
    .description('release every stale hold back to ready, on the record')
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await session()).sessionReap(options)));

  program
    .command('drift')
    .description("judge a task's changes by the drift rules against its packet; exit 1 on any change outside it")
    .requiredOption('--task <id>', 'the task')
    .option('--base <rev>', 'measure from this commit (default: where its branch started)')
    .option('--dir <path>', "the checkout to look at (default: the task's worktree)")
    .option('--needed <glob>', 'outside changes the task needs: escalate them (rule 2; repeatable)', collect, [])
    .option(
      '--unrelated <glob>',
      'outside changes that are unrelated: revert, nothing proposed (rule 4; repeatable)',
      collect,
      [],
    )
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await import('./drift.ts')).drift(options)));

  program
    .command('handoff')
    .description(
      'the loop output: files changed, commands run, results, risks, evidence; refused (exit 1) with what is missing',
    )
    .requiredOption('--task <id>', 'the task')
    .option('--base <rev>', 'measure from this commit (default: where its branch started)')
    .option('--dir <path>', "the checkout to look at (default: the task's worktree)")
    .option('--risk <text>', 'a residual risk to add (repeatable)', collect, [])
    .option('--dry-run', 'assemble and print, record nothing')
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await import('./handoff.ts')).handoff(options)));

  const gate = program.command('gate').description('gate runs in the queue store');
  gate
    .command('record')
    .description('record a finished gate run (verdict and evidence by digest) on a task, or as a release-gate run')
    .option('--task <id>', 'the task it proves (TASK_ID)')
    .option('--output <dir>', 'the gate output folder (PACKGATE_OUTPUT_DIR; default output_dir of packgate.yaml)')
    .option('--command <line>', 'the command line that ran it')
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await import('./gate.ts')).gateRecord(options)));
}
