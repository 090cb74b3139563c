import path from 'node:path';
import { stringify } from 'yaml';
import type { ListedTest } from './list-tests.ts';
import { TEST_MANIFEST_FILE, type TestManifest } from '../schema/test-manifest.ts';
import type { Catalogue } from '../catalogue/load.ts';
import { specIdentity, specsRun } from '../catalogue/spec-path.ts';

/** What `packgate tests` found for one pack: the manifest its specs call for, against the committed one. */
export type ManifestChange = {
  pack: string;
  /** Relative to the root. */
  file: string;
  wanted: TestManifest;
  /** Titles (`<spec>: <title>`) the committed manifest lacks, and those it lists that no longer exist. */
  added: string[];
  removed: string[];
  /** Whether the committed file differs from the wanted one (order included). */
  stale: boolean;
};

/**
 * The test manifest of every pack, from a listing of all projects. A spec must declare the same
 * tests in every project that runs it (each environment's, each layer's): a test that exists only
 * for some would make "complete" mean different things per run (skip it with a reason instead).
 */
export function manifestsFromListing(
  catalogue: Catalogue,
  listed: readonly ListedTest[],
): { changes: ManifestChange[]; problems: string[] } {
  const packsDir = path.join(catalogue.root, catalogue.manifest.value.packs_dir);
  // pack -> spec -> project -> titles in declaration order
  const found = new Map<string, Map<string, Map<string, string[]>>>();
  for (const test of listed) {
    const identity = specIdentity(packsDir, test.file);
    if (!identity) continue;
    const bySpec = found.get(identity.pack) ?? new Map<string, Map<string, string[]>>();
    found.set(identity.pack, bySpec);
    const byProject = bySpec.get(identity.spec) ?? new Map<string, string[]>();
    bySpec.set(identity.spec, byProject);
    const titles = byProject.get(test.project) ?? [];
    byProject.set(test.project, titles);
    if (!titles.includes(test.title)) titles.push(test.title);
  }

  const problems: string[] = [];
  const changes = [...catalogue.packs].map(([id, pack]): ManifestChange => {
    const wanted: TestManifest = {};
    for (const spec of specsRun(pack.value)) {
      const byProject = found.get(id)?.get(spec);
      if (!byProject) continue;
      const [first, ...others] = [...byProject];
      for (const [project, titles] of others) {
        const differ = symmetricDifference(first[1], titles);
        if (differ.length)
          problems.push(
            `${pack.dir}/${spec}: projects ${first[0]} and ${project} list different tests (${differ.map(t => `"${t}"`).join(', ')}); ` +
              'declare the same tests for every project that runs it and skip, with a reason, where one does not apply',
          );
      }
      wanted[spec] = first[1];
    }
    const current = pack.tests?.value ?? {};
    const all = (m: TestManifest) => Object.entries(m).flatMap(([spec, titles]) => titles.map(t => `${spec}: ${t}`));
    const [had, want] = [all(current), all(wanted)];
    return {
      pack: id,
      file: `${pack.dir}/${TEST_MANIFEST_FILE}`,
      wanted,
      added: want.filter(t => !had.includes(t)),
      removed: had.filter(t => !want.includes(t)),
      // A pack that runs no spec (only the unit or manual layer) has no tests to list, and needs no file.
      stale: (!pack.tests && specsRun(pack.value).length > 0) || JSON.stringify(current) !== JSON.stringify(wanted),
    };
  });
  return { changes, problems };
}

export function renderTestManifest(manifest: TestManifest): string {
  return (
    '# Every test of this pack, by spec: a gate calls the pack PASS only when all of them (of the specs\n' +
    '# its pack.yaml runs at the layers an environment runs) ran and passed. Written by\n' +
    '# `npx packgate tests --update`; commit it with the specs.\n' +
    stringify(manifest, { lineWidth: 0 })
  );
}

function symmetricDifference(a: readonly string[], b: readonly string[]): string[] {
  return [...a.filter(t => !b.includes(t)), ...b.filter(t => !a.includes(t))];
}
