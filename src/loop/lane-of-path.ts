import type { Governance, Lane } from '../governance/governance-schema.ts';
import { firstMatch } from '../packet/glob.ts';

/**
 * The lane governance.yaml gives a path to: the first lane, in the file's order, one of whose
 * owned_files globs matches it; undefined when no lane owns it (or there is no governance).
 */
export function laneOfPath(
  governance: Governance | undefined,
  file: string,
): { name: string; lane: Lane; glob: string } | undefined {
  for (const [name, lane] of Object.entries(governance?.lanes ?? {})) {
    const glob = firstMatch(lane.owned_files, file);
    if (glob) return { name, lane, glob };
  }
  return undefined;
}
