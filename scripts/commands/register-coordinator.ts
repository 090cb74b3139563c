import type { Command } from 'commander';
import { run } from './kit.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The coordinator's view of the queue: checkpoints of tasks in progress, queue health (evidence
 * debt, legacy apart from new), and importing a backlog. Exit codes as everywhere: 0 ok, 1 the
 * check failed (new debt), 2 bad input (nothing written).
 */
export function registerCoordinatorCommands(program: Command): void {
  const json = ['--json', 'print the result (or the error) as JSON'] as const;
  const actor = [
    '--actor <name>',
    'who is acting, recorded with every change (PACKGATE_ACTOR; default user@host)',
  ] as const;

  program
    .command('checkpoint')
    .description(
      'a coordinator checkpoint of a task: the seven fields, from flags or --edit (a template in $VISUAL/$EDITOR); ' +
        'the decision acts: park parks it, escalate escalates it, split makes the parts ready and parks it',
    )
    .requiredOption('--task <id>', 'the task')
    .option(
      '--original-goal <text>',
      "the goal (default: the latest checkpoint's, else the packet's; one other than the packet's is flagged as a goal change)",
    )
    .option('--track <text>', "the current track (default: the task's track and state)")
    .option('--changed <text>', 'what changed since the last checkpoint')
    .option('--drift <text>', 'drift discovered ("none" if none)')
    .option('--blocked-on <text>', 'what it is blocked on ("nothing" if nothing)')
    .option('--next <action>', 'a next action (repeatable, at most 3)', collect)
    .option('--decision <decision>', 'continue, park, split or escalate')
    .option('--to <lane>', "escalate: the lane whose decision it needs (default: the task's lane)")
    .option('--split <id: goal>', 'split: a task to make, "ID: goal" (repeatable)', collect)
    .option(
      '--edit',
      'fill the fields in an editor template (pre-filled from the flags and the packet); ' +
        'one a failed attempt left is reopened, flags given now replacing its fields',
    )
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await import('./checkpoint.ts')).checkpoint(options)));

  const queue = program.command('queue').description("the coordinator's view of the whole queue");
  queue
    .command('health')
    .description(
      'evidence debt per task (no handoff, bug fix without definition of done or accepted regression, watcher ' +
        'not closed, gate run missing, stale checkpoint, escalation unanswered), legacy apart from new; exit 1 on new debt only',
    )
    .option('--new', 'list only tasks with new debt (the totals and the exit code still judge every task)')
    .option('--lane <lane>', 'list only tasks of this owner lane (the totals and the exit code still judge every task)')
    .option(...json)
    .action(options => run(options, async () => (await import('./queue.ts')).queueHealthCommand(options)));
  queue
    .command('import <file>')
    .description(
      'import a backlog: a YAML or JSON list of tasks (id, title, state, kind, lane, track, created_at, packet, ' +
        'legacy_reason, depends_on, events), all or nothing; tasks before legacy_before are legacy debt',
    )
    .option(...json)
    .option(...actor)
    .action((file, options) => run(options, async () => (await import('./queue.ts')).queueImport(file, options)));
  queue
    .command('mark-legacy <id>')
    .description("mark a task's debt as legacy, with why (queue health lists it, never fails on it)")
    .option('--reason <text>', 'why its debt is legacy, e.g. "migrated from the old tracker"')
    .option('--clear', 'its debt is new again')
    .option(...json)
    .option(...actor)
    .action((id, options) => run(options, async () => (await import('./queue.ts')).queueMarkLegacy(id, options)));
}
