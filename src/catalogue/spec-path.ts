import path from 'node:path';
import type { Layer } from '../schema/common.ts';
import { SPEC_FILE } from '../schema/constants.ts';
import type { Pack } from '../schema/pack.ts';

/**
 * What a spec's path says: `packs/<pack>/<name>.spec.ts` is in pack `<pack>`. Which layers run it
 * is the pack's `layers:` (see specsAt), so one journey can run at several.
 */
export type SpecIdentity = { pack: string; spec: string };

/** Whether a file name in a pack folder is a spec (`browser.spec.ts`, `idp-contract.spec.ts`). */
export function isSpecFile(fileName: string): boolean {
  return SPEC_FILE.test(fileName);
}

/** The pack and file name of a spec file under `packsDir`, or undefined for any other file. */
export function specIdentity(packsDir: string, file: string): SpecIdentity | undefined {
  const parts = path.relative(packsDir, file).split(path.sep);
  if (parts.length !== 2 || parts[0].startsWith('..') || !isSpecFile(parts[1])) return undefined;
  return { pack: parts[0], spec: parts[1] };
}

/** The spec files a pack runs at a layer, relative to the root (`packs/v3-shell/browser.spec.ts`). */
export function specsAt(pack: { dir: string; value: Pick<Pack, 'specs'> }, layer: Layer): string[] {
  return (pack.value.specs[layer] ?? []).map(file => `${pack.dir}/${file}`);
}

/** Every spec file a pack runs at some layer, once each, in the order `layers:` names them. */
export function specsRun(pack: Pick<Pack, 'specs'>): string[] {
  return [...new Set(Object.values(pack.specs).flat())];
}
