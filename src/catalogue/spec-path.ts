import path from 'node:path';
import type { Layer } from '../schema/common.ts';
import { layers } from '../schema/constants.ts';

/** What a spec's path says: `packs/<pack>/<layer>.spec.ts` is the one source of both. */
export type SpecIdentity = { pack: string; layer: Layer };

const SPEC_FILE = /^([a-z]+)\.spec\.ts$/;

/** The layer a file name in a pack folder implements (`browser.spec.ts` → browser), if it is a spec. */
export function specLayer(fileName: string): Layer | undefined {
  const match = SPEC_FILE.exec(fileName);
  return match && (layers as readonly string[]).includes(match[1]) ? (match[1] as Layer) : undefined;
}

/** The pack and layer of a spec file under `packsDir`, or undefined for any other file. */
export function specIdentity(packsDir: string, file: string): SpecIdentity | undefined {
  const parts = path.relative(packsDir, file).split(path.sep);
  if (parts.length !== 2 || parts[0].startsWith('..')) return undefined;
  const layer = specLayer(parts[1]);
  return layer && { pack: parts[0], layer };
}
