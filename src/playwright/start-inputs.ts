import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import type { CommandLine } from '../run/command-line.ts';

/**
 * The folder `playwright merge-reports` reads, checked before the merge starts: one that is missing
 * or holds no blob report (.zip) would stop Playwright with a stack trace after the gate's output
 * folder was emptied, and no verdict saying why. Playwright reads the current folder when none is given.
 */
export function checkBlobReports(commandLine: CommandLine, cwd: string = process.cwd()): void {
  if (commandLine.command !== 'merge-reports') return;
  // merge-reports' --reporter replaces the config's reporters, the gate's among them: the merge would
  // write no verdict and exit 0 whatever the shards proved.
  if (commandLine.options.reporter !== undefined)
    throw new PackgateError(
      'INPUT_INVALID',
      `merge-reports --reporter=${commandLine.options.reporter} replaces the gate reporter: the merge would judge ` +
        'nothing and write no verdict',
      {
        hint:
          "drop --reporter; add other reporters in playwright.config.ts after the gate's: " +
          "reporter: [...gate.reporters, ['html', { open: 'never' }]]",
      },
    );
  const dir = path.resolve(cwd, commandLine.operands[0] ?? '');
  const hint =
    "give the folder every shard's blob-report/ was collected into, e.g. " +
    '`npx playwright merge-reports --config playwright.config.ts all-blob-reports` (docs/ci-github-actions.md)';
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat)
    throw new PackgateError('INPUT_INVALID', `no blob reports to merge: the folder ${dir} does not exist`, { hint });
  if (!stat.isDirectory())
    throw new PackgateError('INPUT_INVALID', `no blob reports to merge: ${dir} is not a folder`, { hint });
  if (!fs.readdirSync(dir).some(name => name.endsWith('.zip')))
    throw new PackgateError(
      'INPUT_INVALID',
      `no blob reports to merge: ${dir} holds no .zip (each shard writes blob-report/report-<n>.zip)`,
      { hint },
    );
}
