/**
 * `npm run bench`: packgate's overhead over bare Playwright, its `--list`, then the full local gate; arguments
 * (`--record`) go to both.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

for (const script of ['overhead.ts', 'list.ts', 'gate.ts']) {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, script), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
