import fs from 'node:fs';
import path from 'node:path';
import { findRoot, loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { refusalsOfCatalogue } from '../../src/catalogue/refusal-claims.ts';
import { renderRefusalTable, TABLE_END, TABLE_START, withRefusalTable } from '../../src/catalogue/refusal-table.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { writeFileAtomic } from '../../src/fs/write-file-atomic.ts';
import { printJson } from './print-json.ts';

/** The Markdown file holding the generated table. */
const README = 'README.md';

/**
 * Prints every pack's refusals as a Markdown table (or JSON), with the tests that prove each. With
 * --update it rewrites the table in README.md between its markers; with --check it exits 1 when that
 * table is stale, so `npm run check` keeps the README's table the catalogue's, never a hand-kept copy.
 */
export function refusals(options: { json?: boolean; update?: boolean; check?: boolean }): void {
  const root = findRoot(process.cwd());
  const packs = refusalsOfCatalogue(loadCatalogueOrThrow(root));
  // --json says the same as the words, and --check and --update act under it as without it (before,
  // --json printed the packs alone: --check exited 0 on a stale table, --update wrote nothing).
  // `table` is README.md's: current, stale (--check, exit 1) or updated; ok is true exactly on exit 0.
  const json = (table: 'current' | 'stale' | 'updated' | undefined, exitCode = 0) => {
    printJson({ ok: exitCode === 0, ...(table ? { table } : {}), packs: Object.fromEntries(packs) });
    process.exitCode = exitCode;
  };
  const table = renderRefusalTable(packs);
  if (!options.update && !options.check) {
    if (options.json) json(undefined);
    else process.stdout.write(table + '\n');
    return;
  }
  const file = path.join(root, README);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const updated = withRefusalTable(text, table);
  if (updated === undefined)
    throw new PackgateError('INPUT_INVALID', `${README} has no generated refusals table`, {
      hint: `put the two lines\n  ${TABLE_START}\n  ${TABLE_END}\nwhere the table belongs, then run \`npx packgate refusals --update\``,
    });
  if (updated === text) {
    if (options.json) json('current');
    else process.stdout.write(`${README}: the refusals table is current\n`);
    return;
  }
  if (options.check) {
    if (options.json) return json('stale', 1);
    process.stderr.write(
      `packgate: the refusals table in ${README} is out of date with the packs\n` +
        '  hint: run `npx packgate refusals --update` and commit the result\n',
    );
    process.exitCode = 1;
    return;
  }
  writeFileAtomic(file, updated);
  if (options.json) json('updated');
  else process.stdout.write(`${README}: rewrote the refusals table\n`);
}
