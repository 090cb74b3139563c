/**
 * A command's `--json` answer on stdout, under the schema version every command's JSON carries. A
 * module of its own: the catalogue commands (lint, tests, types, ...) print it without loading kit.ts
 * and what it brings (the governance loader, the queue's modules).
 */
export function printJson(value: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ schemaVersion: 1, ...value }, null, 2) + '\n');
}
