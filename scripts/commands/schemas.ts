import fs from 'node:fs';
import path from 'node:path';
import { findRoot } from '../../src/catalogue/load.ts';
import { exportedSchemas, renderJsonSchema } from './json-schemas.ts';

/** Writes schemas/*.schema.json from the zod schemas, or with --check reports any that are stale. */
export function schemas(options: { check?: boolean }): void {
  const dir = path.join(findRoot(process.cwd()), 'schemas');
  const stale: string[] = [];
  for (const entry of exportedSchemas) {
    const file = path.join(dir, entry.file);
    const text = renderJsonSchema(entry);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === text) continue;
    stale.push(entry.file);
    if (!options.check) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file, text);
    }
  }
  if (options.check && stale.length) {
    process.stderr.write(
      `packgate: schemas/ is out of date with the zod schemas: ${stale.join(', ')}\n  hint: run \`npx packgate schemas\` and commit the result\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    options.check
      ? 'schemas/ is up to date\n'
      : stale.length
        ? `wrote ${stale.map(f => `schemas/${f}`).join(', ')}\n`
        : 'schemas/ already up to date\n',
  );
}
