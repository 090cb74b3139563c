import type { Command } from 'commander';
import { run } from './kit.ts';

const manual = () => import('./manual.ts');
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Manual checks: a person's verdict of a pack's manual check, done in a headed browser packgate
 * opens (`run`) or elsewhere (`record`), stored with who, when, its evidence and its expiry. Exit
 * codes: 0 recorded, 1 refused (a lane that does not own the check), 2 bad input (nothing recorded).
 */
export function registerManualCommands(program: Command): void {
  const json = ['--json', 'print the result (or the error) as JSON'] as const;
  const actor = [
    '--actor <name>',
    'who is recording, stored with the verdict (PACKGATE_ACTOR; default user@host)',
  ] as const;
  const group = program.command('manual').description("manual checks: a person's recorded verdicts, with evidence");
  const target = (command: Command) =>
    command
      .requiredOption('--pack <id>', 'the pack whose manual check it is')
      .requiredOption('--env <name>', 'the environment it was checked in (one that runs the manual layer)')
      .requiredOption('--check <id>', "the check's id (pack.yaml manual:)")
      .option('--lane <lane>', "the lane you record for: must be the check's lane")
      .option('--note <text>', 'what you saw, in a sentence');
  target(group.command('run'))
    .description(
      "open a headed browser signed in as the pack's identity at the check's start, recording a trace and video; " +
        'when you close the page, answer pass or fail',
    )
    .option('--result <pass|fail>', 'the answer, instead of being asked when the page closes')
    .option('--remote-debugging-port <port>', "open the browser's remote debugging on loopback (0: any free port)")
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await manual()).manualRun(options)));
  target(group.command('record'))
    .description('record the verdict of a manual check done elsewhere, with its evidence')
    .requiredOption('--result <pass|fail>', 'the verdict')
    .option(
      '--evidence <file>',
      'a trace, video, screenshot or notes (repeatable); redacted, stored by content',
      collect,
    )
    .option(...json)
    .option(...actor)
    .action(options => run(options, async () => (await manual()).manualRecord(options)));
}
