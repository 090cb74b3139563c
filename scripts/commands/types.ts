import path from 'node:path';
import { findRoot, loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { PACK_TYPES_COMMAND, PACK_TYPES_FILE, packTypesChanges } from '../../src/catalogue/pack-types.ts';
import { writeFileAtomic } from '../../src/fs/write-file-atomic.ts';

/**
 * Writes each pack's pack.gen.ts from its pack.yaml (the names of its paths and selectors as types),
 * or with --check lists the stale ones and exits 1, like `schemas --check`: `npm run check` runs it
 * before tsc, so a stale file is named with the command to run rather than as a type error.
 */
export function types(options: { check?: boolean }): void {
  const root = findRoot(process.cwd());
  const changes = packTypesChanges(loadCatalogueOrThrow(root));
  const stale = changes.map(c => c.file);
  if (!options.check) for (const { file, text } of changes) writeFileAtomic(path.join(root, file), text);
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
