import path from 'node:path';
import { stringify } from 'yaml';
import type { Artifact, Layer, Policy, Stage } from '../schema/common.ts';
import type { TestManifest } from '../schema/test-manifest.ts';

/** What `packgate pack new` makes a pack of: the flags, with what they leave out derived. */
export type PackScaffold = {
  id: string;
  title: string;
  journey: string;
  owner: string;
  requiredProof: string;
  policy: Partial<Record<Stage, Policy>>;
  layers: Layer[];
  lowestReliableLayer: Layer;
  seeds: string[];
  identity?: string;
  artifacts: Artifact[];
  dependsOn: string[];
};

/** Prettier's width (.prettierrc), so a scaffolded spec passes `prettier --check` as written. */
const PRINT_WIDTH = 120;

/**
 * The files of a new pack, by name within its folder (`dir`, relative to the root): pack.yaml with a
 * comment over each field, and one spec per layer whose one test fails saying what to write, so a
 * scaffold never passes a gate without a journey. `tests` is the manifest those specs make.
 */
export function scaffoldPack(
  root: string,
  dir: string,
  pack: PackScaffold,
): { files: Record<string, string>; tests: TestManifest } {
  const files: Record<string, string> = { 'pack.yaml': packYaml(root, dir, pack) };
  const tests: TestManifest = {};
  for (const layer of pack.layers) {
    const spec = `${layer}.spec.ts`;
    const title = `the journey at the ${layer} layer, to be written`;
    files[spec] = placeholderSpec(title, `${dir}/${spec}`, layer);
    tests[spec] = [title];
  }
  return { files, tests };
}

function packYaml(root: string, dir: string, pack: PackScaffold): string {
  const schema = path.relative(path.join(root, dir), path.join(root, 'schemas/pack.schema.json')).split(path.sep);
  const list = (items: readonly string[]) => `[${items.join(', ')}]`;
  const policy = Object.entries(pack.policy).map(([stage, level]) => `${stage}: ${level}`);
  return [
    `# yaml-language-server: $schema=${schema.join('/')}`,
    '# Written by `npx packgate pack new`; README "Writing a pack" and the schema say more of each field.',
    'schema_version: 1',
    `id: ${pack.id}`,
    '# A short name: the verdict and the reports show it.',
    `title: ${scalar(pack.title)}`,
    '# What a user does, end to end, in a sentence or two: the journey the specs prove.',
    `journey: ${scalar(pack.journey)}`,
    '# The lane of governance.yaml that owns the pack: its failures are routed there.',
    `owner: ${scalar(pack.owner)}`,
    '# What a passing run proves, in the words a release manager would use.',
    `required_proof: ${scalar(pack.requiredProof)}`,
    '# The stages the pack runs in, and whether its failure there blocks a release or only advises.',
    `policy: { ${policy.join(', ')} }`,
    "# The lowest layer that reliably catches this journey's regressions (one of layers).",
    `lowest_reliable_layer: ${pack.lowestReliableLayer}`,
    '# The layers the pack runs at: each runs <layer>.spec.ts beside this file (a map names other specs).',
    `layers: ${list(pack.layers)}`,
    '# Seed sets the journeys need (seeds/<name>.yaml).',
    `seeds: ${list(pack.seeds)}`,
    ...(pack.identity ? ['# The seed user the journeys sign in as.', `identity: ${pack.identity}`] : []),
    '# Evidence a failure of this pack must carry.',
    `artifacts: ${list(pack.artifacts)}`,
    "# Packs whose failure makes this one's meaningless: its failure is then reported as blocked by them.",
    `depends_on: ${list(pack.dependsOn)}`,
    "# Paths and selectors the journeys use by name (pack.url('name'), pack.selector('name')); an",
    '# environment may override their values. Run `npx packgate types` after naming one.',
    'paths: {}',
    'selectors: {}',
    '# What the surface must refuse, each proven by a test claiming its id (README "Refusals");',
    '# lint warns until there are three, or refusals_note says why there are fewer.',
    'refusals: []',
    '',
  ].join('\n');
}

/**
 * A spec whose one test fails saying what to write there: the journey as pack.yaml says it (read
 * through the `pack` fixture, so it is written once) and the file. Laid out as Prettier would, so
 * it passes `npm run check` as written.
 */
function placeholderSpec(title: string, file: string, layer: Layer): string {
  const message = `\`write this journey: \${pack.definition.journey} (${file})\``;
  const thrown = `  throw new Error(${message});`;
  return [
    "import { test } from './pack.gen.ts';",
    '',
    `// The ${layer} journey of this pack, still to write: replace this test with it (README "Writing a`,
    '// pack" lists the fixtures), then run `npx packgate tests --update`.',
    `test('${title}', ({ pack }) => {`,
    ...(thrown.length <= PRINT_WIDTH ? [thrown] : ['  throw new Error(', `    ${message},`, '  );']),
    '});',
    '',
  ].join('\n');
}

/** A flag's text as one line, for a YAML scalar. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function scalar(text: string): string {
  return stringify(oneLine(text), { lineWidth: 0 }).trimEnd();
}
