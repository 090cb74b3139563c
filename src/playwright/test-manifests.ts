import path from 'node:path';
import { stringify } from 'yaml';
import type { ListedTest } from './list-tests.ts';
import { layers, type Layer } from '../schema/common.ts';
import { TEST_MANIFEST_FILE, type TestManifest } from '../schema/test-manifest.ts';
import type { Catalogue } from '../catalogue/load.ts';
import { planProjects } from '../catalogue/project-plan.ts';
import { specIdentity, specsAt } from '../catalogue/spec-path.ts';

/** What `packgate tests` found for one pack: the manifest its specs call for, against the committed one. */
export type ManifestChange = {
  pack: string;
  /** Relative to the root. */
  file: string;
  wanted: TestManifest;
  /** Titles per layer the committed manifest lacks, and those it lists that no longer exist. */
  added: string[];
  removed: string[];
  /** Whether the committed file differs from the wanted one (order included). */
  stale: boolean;
};

/**
 * The test manifest of every pack, from a listing of all projects. A spec must declare the same
 * tests in every environment's project of its layer: a test that exists only for some deployments
 * would make "complete" mean different things per environment (skip it with a reason instead).
 */
export function manifestsFromListing(
  catalogue: Catalogue,
  listed: readonly ListedTest[],
): { changes: ManifestChange[]; problems: string[] } {
  const packsDir = path.join(catalogue.root, catalogue.manifest.value.packs_dir);
  // A spec's layer is its project's: the pack's `layers:` may run one spec at several.
  const layerOf = new Map(
    planProjects(catalogue).flatMap(p => (p.kind === 'packs' ? [[p.name, p.metadata.layer]] : [])),
  );
  // pack -> layer -> project -> titles in declaration order
  const found = new Map<string, Map<Layer, Map<string, string[]>>>();
  for (const test of listed) {
    const identity = specIdentity(packsDir, test.file);
    const layer = layerOf.get(test.project);
    if (!identity || !layer) continue;
    const byLayer = found.get(identity.pack) ?? new Map<Layer, Map<string, string[]>>();
    found.set(identity.pack, byLayer);
    const byProject = byLayer.get(layer) ?? new Map<string, string[]>();
    byLayer.set(layer, byProject);
    const titles = byProject.get(test.project) ?? [];
    byProject.set(test.project, titles);
    if (!titles.includes(test.title)) titles.push(test.title);
  }

  const problems: string[] = [];
  const changes = [...catalogue.packs].map(([id, pack]): ManifestChange => {
    const wanted: TestManifest = {};
    for (const layer of layers) {
      const byProject = found.get(id)?.get(layer);
      if (!byProject) continue;
      const [first, ...others] = [...byProject];
      for (const [project, titles] of others) {
        const differ = symmetricDifference(first[1], titles);
        if (differ.length)
          problems.push(
            `${specsAt(pack, layer).join(', ')}: projects ${first[0]} and ${project} list different tests (${differ.map(t => `"${t}"`).join(', ')}); ` +
              'declare the same tests for every environment and skip, with a reason, where one does not apply',
          );
      }
      wanted[layer] = first[1];
    }
    const current = pack.tests?.value ?? {};
    const all = (m: TestManifest) => layers.flatMap(l => (m[l] ?? []).map(t => `${l}: ${t}`));
    const [had, want] = [all(current), all(wanted)];
    return {
      pack: id,
      file: `${pack.dir}/${TEST_MANIFEST_FILE}`,
      wanted,
      added: want.filter(t => !had.includes(t)),
      removed: had.filter(t => !want.includes(t)),
      stale: !pack.tests || JSON.stringify(had) !== JSON.stringify(want),
    };
  });
  return { changes, problems };
}

export function renderTestManifest(manifest: TestManifest): string {
  return (
    '# Every test of this pack, by layer: a gate calls the pack PASS only when all of them (for the\n' +
    '# layers an environment runs) ran and passed. Written by `npx packgate tests --update`; commit it\n' +
    '# with the specs.\n' +
    stringify(manifest, { lineWidth: 0 })
  );
}

function symmetricDifference(a: readonly string[], b: readonly string[]): string[] {
  return [...a.filter(t => !b.includes(t)), ...b.filter(t => !a.includes(t))];
}
