import type { Catalogue, Located } from '../catalogue/load.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { nearest } from '../diagnostics/nearest.ts';
import { at } from '../diagnostics/yaml-source.ts';
import type { Governance } from './governance-schema.ts';

/**
 * Every pack's owner is a lane of the governance file: a task's packet is written under a lane, so
 * a pack owned by anything else has nobody the queue can hand its failures, follow-ups and
 * reviews to. So is each manual check's lane: `manual run|record` takes a verdict only from the
 * check's lane and only a lane of the file, so a check of any other lane could never be recorded,
 * and where it blocks, its pack would never pass.
 */
export function checkPackOwners(catalogue: Catalogue, governance: Located<Governance>): Diagnostic[] {
  const lanes = Object.keys(governance.value.lanes);
  const file = governance.source.file;
  const hint = (lane: string) => {
    const near = nearest(lane, lanes);
    return near
      ? `did you mean "${near}"? Or add the lane to ${file}`
      : `name one of its lanes (${lanes.join(', ')}), or add the lane to ${file}`;
  };
  return [...catalogue.packs.values()].flatMap(pack => [
    ...(lanes.includes(pack.value.owner)
      ? []
      : [
          at(
            pack.source,
            ['owner'],
            'owner-not-a-lane',
            `owner "${pack.value.owner}" is not a lane of ${file}`,
            hint(pack.value.owner),
          ),
        ]),
    ...pack.value.manual.flatMap((check, i) =>
      lanes.includes(check.lane)
        ? []
        : [
            at(
              pack.source,
              ['manual', i, 'lane'],
              'manual-lane-not-a-lane',
              `manual check ${check.id}: lane "${check.lane}" is not a lane of ${file}, so no one could record its verdict`,
              hint(check.lane),
            ),
          ],
    ),
  ]);
}
