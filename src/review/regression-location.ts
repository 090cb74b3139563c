import { parse } from 'yaml';
import { editDistance, suggest } from '../diagnostics/nearest.ts';
import { git } from '../git/git.ts';
import type { Layer } from '../schema/common.ts';
import { layersSchema, runsOfLayers } from '../schema/pack.ts';
import { TEST_MANIFEST_FILE, testManifestSchema } from '../schema/test-manifest.ts';
import type { RegressionLocation } from './fix-record-schema.ts';

/** Which part of a regression location is wrong, what is wrong with it, and what there is instead. */
export type LocationProblem = { field: keyof RegressionLocation; rule: string; message: string; hint: string };

/** Where the catalogue is read from: a commit of the repository `cwd` is in, and the project's packs folder. */
export type CatalogueAtCommit = { cwd: string; commit: string; packsDir: string };

/**
 * Checks a regression location against the catalogue as it is at a commit (the fix's), never the
 * work tree: the pack exists there, its pack.yaml runs the spec at `layer`, and the spec's tests.yaml
 * lists the title. The first thing that does not hold, named with what there is instead; else nothing.
 */
export function checkRegressionLocation(
  at: CatalogueAtCommit,
  location: RegressionLocation,
  layer: Layer,
): LocationProblem | undefined {
  const { pack, spec, title } = location;
  const commit = at.commit.slice(0, 12);
  const packYaml = fileAt(at, `${at.packsDir}/${pack}/pack.yaml`);
  if (packYaml === undefined)
    return {
      field: 'pack',
      rule: 'unknown-pack',
      message: `pack "${pack}" does not exist at commit ${commit}`,
      hint: suggest(pack, packsAt(at), 'packs'),
    };

  const layers = layersSchema.safeParse(readYaml(packYaml)?.layers);
  if (!layers.success)
    return {
      field: 'pack',
      rule: 'pack-invalid',
      message: `${at.packsDir}/${pack}/pack.yaml at commit ${commit} has no valid "layers:"`,
      hint: 'fix the pack at that commit (npx packgate lint), or name another pack',
    };
  const specs = runsOfLayers(layers.data).specs;
  if (!(specs[layer] ?? []).includes(spec)) {
    const runsAt = Object.entries(specs)
      .filter(([, files]) => files?.includes(spec))
      .map(([name]) => name);
    return {
      field: 'spec',
      rule: 'spec-layer',
      message: `pack "${pack}" does not run ${spec} at the ${layer} layer at commit ${commit}`,
      hint: runsAt.length
        ? `${spec} runs at: ${runsAt.join(', ')}; at ${layer} the pack runs: ${(specs[layer] ?? []).join(', ') || '(nothing)'}`
        : specs[layer]?.length
          ? `at ${layer} the pack runs: ${specs[layer]!.join(', ')}`
          : `the pack has no ${layer} layer; its layers: ${Object.keys(specs).join(', ')}`,
    };
  }

  const manifestFile = `${at.packsDir}/${pack}/${TEST_MANIFEST_FILE}`;
  const manifestText = fileAt(at, manifestFile);
  const manifest = testManifestSchema.safeParse(readYaml(manifestText));
  // A manifest that is there but not one says so: "lists no tests" would send the author to write one.
  if (manifestText !== undefined && !manifest.success)
    return {
      field: 'title',
      rule: 'tests-manifest-invalid',
      message: `${manifestFile} at commit ${commit} is not a valid test manifest: ${yamlError(manifestText) ?? manifest.error.issues[0]?.message}`,
      hint: `fix it (\`npx packgate lint\` names the line), commit it and record again`,
    };
  const titles = manifest.success ? (manifest.data[spec] ?? []) : [];
  if (!titles.includes(title))
    return {
      field: 'title',
      rule: 'unknown-test',
      message: `${pack} › ${spec} has no test "${title}" at commit ${commit}`,
      hint: titles.length
        ? `nearest titles: ${nearestTitles(title, titles)
            .map(t => JSON.stringify(t))
            .join('; ')}`
        : `its ${TEST_MANIFEST_FILE} lists no tests of ${spec} at that commit: write the test, ` +
          'run `npx packgate tests --update` and commit both',
    };
  return undefined;
}

/**
 * The `count` titles nearest to `title`, nearest first: by edits per character of the longer of the
 * two, so a long title that shares most of its words is nearer than a short one that shares few.
 */
export function nearestTitles(title: string, titles: readonly string[], count = 3): string[] {
  const lower = title.toLowerCase();
  return [...titles]
    .map(t => ({ t, d: editDistance(lower, t.toLowerCase()) / Math.max(lower.length, t.length) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, count)
    .map(({ t }) => t);
}

/** A file's text at the commit (relative to the project root), or undefined when it is not there. */
function fileAt(at: CatalogueAtCommit, file: string): string | undefined {
  try {
    return git(at.cwd, ['show', `${at.commit}:./${file}`]);
  } catch {
    return undefined;
  }
}

/** The pack folders at the commit. */
function packsAt(at: CatalogueAtCommit): string[] {
  try {
    return git(at.cwd, ['ls-tree', '-d', '--name-only', `${at.commit}:./${at.packsDir}`])
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** The YAML syntax error of a text, first line only (it names the line and column), if it has one. */
function yamlError(text: string): string | undefined {
  try {
    parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

function readYaml(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
