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
  const read = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  // A checkout with CRLF line ends (git's autocrlf on Windows) holds the same table: compared, and
  // written back, with the file's own line ends (before, --check failed there whatever --update did).
  const eol = read.includes('\r\n') ? '\r\n' : '\n';
  const text = read.replace(/\r\n/g, '\n');
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
      `packgate: the refusals table in ${README} is out of date with the packs:\n` +
        staleRows(text, table) +
        '  hint: run `npx packgate refusals --update` and commit the result\n',
    );
    process.exitCode = 1;
    return;
  }
  writeFileAtomic(file, updated.replace(/\n/g, eol));
  if (options.json) json('updated');
  else process.stdout.write(`${README}: rewrote the refusals table\n`);
}

/**
 * The rows of README.md's table that differ from the packs', as a diff (`-` the README's, `+` the
 * packs'), the first few: what --check found stale (a spec line moved, a refusal reworded) without
 * running --update to see it.
 */
function staleRows(text: string, table: string, max = 6): string {
  const start = text.indexOf(TABLE_START) + TABLE_START.length;
  const rows = (block: string) => block.split('\n').filter(line => line.startsWith('|'));
  const before = rows(text.slice(start, text.indexOf(TABLE_END, start)));
  const after = rows(table);
  const changed = [
    ...before.filter(row => !after.includes(row)).map(row => `  - ${row}`),
    ...after.filter(row => !before.includes(row)).map(row => `  + ${row}`),
  ];
  const more = changed.length > max ? [`  ... and ${changed.length - max} more\n`] : [];
  return changed
    .slice(0, max)
    .map(line => `${line}\n`)
    .concat(more)
    .join('');
}
