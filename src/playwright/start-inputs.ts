import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';

/** merge-reports options that take a value: the folder of blob reports is the argument left. */
const MERGE_OPTIONS_WITH_VALUE = new Set(['-c', '--config', '--reporter']);

/**
 * The folder `playwright merge-reports` reads, checked before the merge starts: one that is missing
 * or holds no blob report (.zip) would stop Playwright with a stack trace after the gate's output
 * folder was emptied, and no verdict saying why. Playwright reads the current folder when none is given.
 */
export function checkBlobReports(argv: readonly string[], cwd: string = process.cwd()): void {
  const at = argv.indexOf('merge-reports');
  if (at < 0) return;
  let given: string | undefined;
  for (let i = at + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    // merge-reports' --reporter replaces the config's reporters, the gate's among them: the merge would
    // write no verdict and exit 0 whatever the shards proved.
    if (arg === '--reporter' || arg.startsWith('--reporter='))
      throw new PackgateError(
        'INPUT_INVALID',
        `merge-reports ${arg === '--reporter' ? `--reporter ${argv[i + 1] ?? ''}`.trim() : arg} replaces the gate ` +
          'reporter: the merge would judge nothing and write no verdict',
        {
          hint:
            "drop --reporter; add other reporters in playwright.config.ts after the gate's: " +
            "reporter: [...gate.reporters, ['html', { open: 'never' }]]",
        },
      );
    if (MERGE_OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) given ??= arg;
  }
  const dir = path.resolve(cwd, given ?? '');
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
