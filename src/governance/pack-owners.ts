import type { Catalogue, Located } from '../catalogue/load.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { nearest } from '../diagnostics/nearest.ts';
import { at } from '../diagnostics/yaml-source.ts';
import type { Governance } from './governance-schema.ts';

/**
 * Every pack's owner is a lane of the governance file: a task's packet is written under a lane, so
 * a pack owned by anything else has nobody the queue can hand its failures, follow-ups and
 * reviews to.
 */
export function checkPackOwners(catalogue: Catalogue, governance: Located<Governance>): Diagnostic[] {
  const lanes = Object.keys(governance.value.lanes);
  const file = governance.source.file;
  return [...catalogue.packs.values()]
    .filter(pack => !lanes.includes(pack.value.owner))
    .map(pack => {
      const near = nearest(pack.value.owner, lanes);
      return at(
        pack.source,
        ['owner'],
        'owner-not-a-lane',
        `owner "${pack.value.owner}" is not a lane of ${file}`,
        near
          ? `did you mean "${near}"? Or add the lane to ${file}`
          : `name one of its lanes (${lanes.join(', ')}), or add the lane to ${file}`,
      );
    });
}
