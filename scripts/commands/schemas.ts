import fs from 'node:fs';
import path from 'node:path';
import { findRoot } from '../../src/catalogue/load.ts';
import { writeFileAtomic } from '../../src/fs/write-file-atomic.ts';
import { exportedSchemas, renderJsonSchema } from './json-schemas.ts';
import { printJson } from './print-json.ts';

/**
 * Writes schemas/*.schema.json from the zod schemas, or with --check reports any that are stale
 * (exit 1). --json says the same as the words, as lint, tests and refusals do: ok exactly when the
 * command exits 0, and each schema file as current, stale (--check) or written.
 */
export function schemas(options: { check?: boolean; json?: boolean }): void {
  const dir = path.join(findRoot(process.cwd()), 'schemas');
  const files: Array<{ file: string; state: 'current' | 'stale' | 'written' }> = [];
  for (const entry of exportedSchemas) {
    const file = path.join(dir, entry.file);
    const text = renderJsonSchema(entry);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === text) {
      files.push({ file: `schemas/${entry.file}`, state: 'current' });
      continue;
    }
    files.push({ file: `schemas/${entry.file}`, state: options.check ? 'stale' : 'written' });
    if (!options.check) writeFileAtomic(file, text);
  }
  const stale = files.filter(f => f.state === 'stale').map(f => f.file);
  const written = files.filter(f => f.state === 'written').map(f => f.file);
  process.exitCode = stale.length ? 1 : 0;
  if (options.json) {
    printJson({ ok: !stale.length, check: !!options.check, files });
    return;
  }
  if (stale.length) {
    process.stderr.write(
      `packgate: schemas/ is out of date with the zod schemas: ${stale.map(f => path.basename(f)).join(', ')}\n` +
        '  hint: run `npx packgate schemas` and commit the result\n',
    );
    return;
  }
  process.stdout.write(
    options.check
      ? 'schemas/ is up to date\n'
      : written.length
        ? `wrote ${written.join(', ')}\n`
        : 'schemas/ already up to date\n',
  );
}
