import { at, type YamlSource } from '../diagnostics/yaml-source.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { compileGlob, firstMatch } from './glob.ts';

/**
 * owned_files globs that must_not_touch takes back whole: a file of any name the glob owns is
 * forbidden (`src/packet/**` under `src/**`), so the task's first change would stop it and escalate.
 * An exception carved out of ownership (`packs/**` owned, `packs/secret/**` not) is not one.
 */
export function ownedButForbidden(
  source: YamlSource,
  packet: { owned_files?: readonly string[]; must_not_touch?: readonly string[] },
  governanceFile: string,
): Diagnostic[] {
  const forbidden = packet.must_not_touch ?? [];
  return (packet.owned_files ?? []).flatMap((glob, i) => {
    const sample = anyFileOf(glob);
    const by = compileGlob(glob)(sample) ? firstMatch(forbidden, sample) : undefined;
    if (!by) return [];
    const j = forbidden.indexOf(by);
    return [
      at(
        source,
        ['owned_files', i],
        'owned-forbidden',
        `owned_files "${glob}" lies under must_not_touch[${j}] "${by}": every change to its files would stop the task and escalate`,
        `narrow or drop "${by}" (packet new adds the must_not_touch of ${governanceFile}), ` +
          `or give the task to the lane that owns these files`,
      ),
    ];
  });
}

/** A file the glob matches whatever its wildcards stand for: each wildcard as a name no glob spells out. */
function anyFileOf(glob: string): string {
  const any = 'packgate-any-name';
  return (glob.endsWith('/') ? `${glob}**` : glob)
    .replace(/\{([^,}]*)[^}]*\}/g, '$1')
    .replace(/\*\*/g, any)
    .replace(/[*?]/g, any);
}
