import type { Command } from 'commander';
import { run } from './kit.ts';

// Loaded when one of these commands runs, so the rest of the CLI pays nothing for them.
const fixRecord = () => import('./review-record-run.ts');

/**
 * A bug fix's definition of done (`review record`), the release holds it and coverage tasks open
 * (`review holds`), and a coordinator's accepted risk that clears them until a date (`review accept-risk`).
 */
export function registerFixRecordCommands(review: Command): void {
  const json = ['--json', 'print the result (or the error) as JSON'] as const;
  const actor = [
    '--actor <name>',
    'who is acting, recorded with every change (PACKGATE_ACTOR; default user@host)',
  ] as const;

  review
    .command('record')
    .description(
      "record a bugfix task's definition of done from a YAML file: its regression checked at the fix commit " +
        '(pack, spec at the owning layer, title in tests.yaml), or its skipped coverage opened as a coverage task',
    )
    .requiredOption('--task <id>', 'the bugfix task')
    .requiredOption('--file <path>', 'the bug-fix record (YAML)')
    .option('--commit <rev>', "the fix commit when the record names none (default: the head of the task's branch)")
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await fixRecord()).reviewRecord(options)));

  review
    .command('holds')
    .description('release holds: the tasks that block the release stages of their pack (active ones by default)')
    .option('--task <id>', 'only this task')
    .option('--all', 'also the cleared ones: how, by whom, until when')
    .option(...json)
    .action(options => run(options, async () => (await fixRecord()).reviewHolds(options)));

  review
    .command('accept-risk')
    .description("a coordinator accepts the risk of a task's release holds until a date; they hold again from it")
    .requiredOption('--task <id>', 'the task whose holds are cleared')
    .requiredOption('--reason <text>', 'why the risk is accepted, recorded with it')
    .requiredOption('--expires <YYYY-MM-DD>', 'the day the acceptance ends (00:00 UTC); after today')
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await fixRecord()).reviewAcceptRisk(options)));
}
