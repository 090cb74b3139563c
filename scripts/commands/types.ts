import fs from 'node:fs';
import path from 'node:path';
import { findRoot, loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { PACK_TYPES_COMMAND, PACK_TYPES_FILE, renderPackTypes } from '../../src/catalogue/pack-types.ts';
import { writeFileAtomic } from '../../src/fs/write-file-atomic.ts';

/** The module whose `test` each pack.gen.ts types: the project's fixtures, as pack specs import them. */
const FIXTURES_MODULE = 'fixtures/index.ts';

/**
 * Writes each pack's pack.gen.ts from its pack.yaml (the names of its paths and selectors as types),
 * or with --check lists the stale ones and exits 1, like `schemas --check`: `npm run check` runs it
 * before tsc, so a stale file is named with the command to run rather than as a type error.
 */
export function types(options: { check?: boolean }): void {
  const root = findRoot(process.cwd());
  const catalogue = loadCatalogueOrThrow(root);
  const stale: string[] = [];
  for (const pack of catalogue.packs.values()) {
    const file = `${pack.dir}/${PACK_TYPES_FILE}`;
    const fixtures = path
      .relative(path.join(root, pack.dir), path.join(root, FIXTURES_MODULE))
      .split(path.sep)
      .join('/');
    const text = renderPackTypes(pack.value, fixtures.startsWith('.') ? fixtures : `./${fixtures}`);
    const full = path.join(root, file);
    if (fs.existsSync(full) && fs.readFileSync(full, 'utf8') === text) continue;
    stale.push(file);
    if (!options.check) writeFileAtomic(full, text);
  }
  if (options.check && stale.length) {
    process.stderr.write(
      `packgate: ${stale.join(', ')} ${stale.length === 1 ? 'is' : 'are'} out of date with pack.yaml\n` +
        `  hint: run \`${PACK_TYPES_COMMAND}\` and commit the result\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    options.check
      ? `${PACK_TYPES_FILE} of every pack is up to date\n`
      : stale.length
        ? `wrote ${stale.join(', ')}\n`
        : `${PACK_TYPES_FILE} of every pack already up to date\n`,
  );
}
