import type { CheckView, Located } from '../catalogue/load.ts';
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
 *
 * Run on every pack.yaml as written (the loader's view), a pack with schema errors too: a misspelt
 * field elsewhere must not hide a misspelt owner until the next lint. A field that did not validate
 * is left out (its own error says why), so nothing is said of an owner or lane that is not there.
 */
export function checkPackOwners(packs: CheckView['packs'], governance: Located<Governance>): Diagnostic[] {
  const lanes = Object.keys(governance.value.lanes);
  const file = governance.source.file;
  const hint = (lane: string) => {
    const near = nearest(lane, lanes);
    return near
      ? `did you mean "${near}"? Or add the lane to ${file}`
      : `name one of its lanes (${lanes.join(', ')}), or add the lane to ${file}`;
  };
  return [...packs.values()].flatMap(pack => [
    ...(pack.value.owner === undefined || lanes.includes(pack.value.owner)
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
    ...(pack.value.manual ?? []).flatMap((check, i) =>
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
