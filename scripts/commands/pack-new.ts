import fs from 'node:fs';
import path from 'node:path';
import { catalogueInvalid, findRoot, loadCatalogue, type Catalogue, type CheckView } from '../../src/catalogue/load.ts';
import { crossCheck } from '../../src/catalogue/cross-check.ts';
import { PACK_TYPES_FILE, packTypesOf } from '../../src/catalogue/pack-types.ts';
import { scaffoldPack, type PackScaffold } from '../../src/catalogue/pack-scaffold.ts';
import { hasErrors, type Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { oneOf, suggest } from '../../src/diagnostics/nearest.ts';
import { YamlSource } from '../../src/diagnostics/yaml-source.ts';
import { lenientParse, validateSource } from '../../src/diagnostics/zod-diagnostics.ts';
import { loadGovernanceOrThrow } from '../../src/governance/load-governance.ts';
import { checkPackOwners } from '../../src/governance/pack-owners.ts';
import { renderTestManifest } from '../../src/playwright/test-manifests.ts';
import { browserLayers, idSchema, type Artifact, type Layer } from '../../src/schema/common.ts';
import { packSchema, sortLayers, type Pack } from '../../src/schema/pack.ts';
import { TEST_MANIFEST_FILE } from '../../src/schema/test-manifest.ts';
import { emit } from './kit.ts';

export type PackNewOptions = {
  title: string;
  journey: string;
  owner: string;
  proof?: string;
  layers: string;
  policy: string;
  identity?: string;
  dependsOn?: string;
  json?: boolean;
};

/** The layers a scaffold writes a spec for; `unit` and `manual` judge a report or a person, not a spec. */
const SPEC_LAYERS: readonly Layer[] = ['api', 'browser', 'parity', 'remote'];

/** The flag each pack.yaml field comes from, to name it in a refusal. */
const FLAG_OF: Record<string, string> = {
  title: '--title',
  journey: '--journey',
  owner: '--owner',
  required_proof: '--proof',
  policy: '--policy',
  layers: '--layers',
  lowest_reliable_layer: '--layers',
  identity: '--identity',
  seeds: '--identity',
  depends_on: '--depends-on',
};

/**
 * `packgate pack new <id>`: a new pack a journey away from done. The pack these flags make is
 * validated as lint would (its schema, the catalogue's cross-checks, its owner a lane) in a hidden
 * folder beside the packs, which becomes `packs/<id>` by one rename once it holds everything:
 * a refusal (exit 2) leaves nothing behind.
 */
export function packNew(id: string, options: PackNewOptions): void {
  const root = findRoot(process.cwd());
  const { catalogue, diagnostics, view } = loadCatalogue(root);
  // The new pack's problems are told apart from the catalogue's by there being none before it.
  if (!catalogue || !view || hasErrors(diagnostics))
    throw catalogueInvalid(diagnostics.filter(d => d.severity === 'error'));
  const packsDir = catalogue.manifest.value.packs_dir;
  const dir = `${packsDir}/${id}`;
  checkId(id, dir, root);
  const { scaffold, problems } = scaffoldOf(id, dir, options, catalogue);
  const { files, tests } = scaffoldPack(root, dir, scaffold);

  const staging = fs.mkdtempSync(path.join(root, packsDir, `.${id}.new-`));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(staging, name), text);
    const staged = path.relative(root, staging).split(path.sep).join('/');
    const pack = validate(view, catalogue, { id, dir, staging: staged, files }, scaffold.layers, problems);
    // As `packgate types` and `packgate tests --update` would write them, so both find the pack current.
    const types = packTypesOf(root, dir, pack);
    fs.writeFileSync(path.join(staging, PACK_TYPES_FILE), types.text);
    fs.writeFileSync(path.join(staging, TEST_MANIFEST_FILE), renderTestManifest(tests));
    fs.renameSync(staging, path.join(root, dir));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }

  const written = [...Object.keys(files), PACK_TYPES_FILE, TEST_MANIFEST_FILE];
  const specs = scaffold.layers.map(layer => `${dir}/${layer}.spec.ts`);
  const next = [
    `write the journey in ${specs.join(' and ')}: each holds one test that fails until you do`,
    `name the paths and selectors it uses in ${dir}/pack.yaml, then run \`npx packgate types\``,
    'run `npx packgate tests --update` as the tests change, and `npx packgate lint`',
    `run it: \`npx playwright test ${dir}/\``,
  ];
  emit(options, { pack: id, dir, files: written.map(name => `${dir}/${name}`), next }, [
    `wrote ${dir}/: ${written.join(', ')} (its types and tests manifest are current)`,
    'next:',
    ...next.map((step, i) => `  ${i + 1}. ${step}`),
  ]);
}

/** The id names the pack's folder: kebab-case, and not one a pack (or anything else) has. */
function checkId(id: string, dir: string, root: string): void {
  if (!idSchema.safeParse(id).success)
    throw new PackgateError('INPUT_INVALID', `pack id "${id}" is not kebab-case: it names the folder ${dir}/`, {
      hint: `use lower-case letters, digits and single dashes, e.g. \`packgate pack new ${kebab(id) || 'checkout-flow'}\``,
    });
  if (fs.existsSync(path.join(root, dir)))
    throw new PackgateError('INPUT_INVALID', `pack "${id}" already exists: ${dir}/ is there`, {
      hint: `choose another id, or edit ${dir}/pack.yaml`,
    });
}

/**
 * The flags as a scaffold: lists split, and what they leave out derived (seeds, artifacts, lowest layer).
 * A flag's problems are collected, not thrown: refused with lint's problems of the rest (see validate),
 * every one at once, where the first ended the command (a bad --layers hid a bad --depends-on).
 */
function scaffoldOf(
  id: string,
  dir: string,
  options: PackNewOptions,
  catalogue: Catalogue,
): { scaffold: PackScaffold; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const problem = (flag: string, message: string, hint: string) =>
    problems.push({
      severity: 'error',
      rule: 'flag',
      file: `${dir}/pack.yaml`,
      line: 1,
      col: 1,
      path: flag,
      message,
      hint,
    });
  const layers = (split(options.layers) as Layer[]).filter(layer => {
    if (SPEC_LAYERS.includes(layer)) return true;
    problem(
      `--layers ${options.layers}`,
      `"${layer}" is not a layer a scaffold writes a spec for`,
      `${oneOf(layer, SPEC_LAYERS)}; unit and manual judge a report or a person's checks: add them to pack.yaml by hand`,
    );
    return false;
  });
  const levels = new Map<string, string>();
  for (const entry of split(options.policy)) {
    const [stage, level, ...rest] = entry.split('=').map(part => part.trim());
    if (level === undefined || rest.length)
      problem(
        `--policy ${options.policy}`,
        `"${entry}" is not stage=level`,
        'write each stage as stage=blocking or stage=advisory, e.g. --policy dev=blocking,demo=advisory',
      );
    // `dev=blocking,dev=advisory` took the last: said as pack.yaml's duplicate key is, not chosen for the author.
    else if (levels.has(stage))
      problem(
        `--policy ${options.policy}`,
        `stage "${stage}" is given twice (${levels.get(stage)}, then ${level})`,
        `give ${stage} once: --policy ${stage}=blocking or ${stage}=advisory`,
      );
    else levels.set(stage, level);
  }
  const policy = Object.fromEntries(levels);
  const dependsOn = split(options.dependsOn ?? '').filter(upstream => {
    if (catalogue.packs.has(upstream)) return true;
    problem(
      `--depends-on ${upstream}`,
      `there is no pack "${upstream}"`,
      suggest(upstream, [...catalogue.packs.keys()], 'packs'),
    );
    return false;
  });
  let identity = options.identity;
  let seeds: string[] = [];
  if (identity) {
    const found = seedsOf(identity, Object.keys(policy), catalogue);
    if (Array.isArray(found)) seeds = found;
    else {
      problem(`--identity ${identity}`, found.message, found.hint);
      identity = undefined;
    }
  }
  const browser = layers.some(layer => browserLayers.has(layer));
  const artifacts: Artifact[] = browser ? ['trace', 'screenshot', 'correlation-id'] : ['trace', 'correlation-id'];
  const scaffold: PackScaffold = {
    id,
    title: options.title,
    journey: options.journey,
    owner: options.owner,
    requiredProof: options.proof ?? `${options.title}: the journey passes end to end`,
    policy,
    layers,
    lowestReliableLayer: sortLayers(layers)[0] ?? 'api',
    seeds,
    identity,
    artifacts,
    dependsOn,
  };
  return { scaffold, problems };
}

/**
 * The seed sets holding the identity (a pack signs in only as a user of its own seed sets): those that
 * every environment of the pack's stages loads, where the user is in sets some of them do not load;
 * else all of them, for lint to say which environment lacks which.
 */
function seedsOf(
  identity: string,
  stages: readonly string[],
  catalogue: Catalogue,
): string[] | { message: string; hint: string } {
  const sets = [...catalogue.seeds]
    .filter(([, seed]) => seed.value.users.some(user => user.id === identity))
    .map(([name]) => name);
  const loaders = [...catalogue.environments.values()]
    .map(({ value: env }) => env)
    .filter(env => stages.includes(env.stage) && env.seeds);
  const loaded = sets.filter(set => loaders.every(env => env.seeds!.includes(set)));
  if (sets.length) return loaded.length ? loaded : sets;
  const users = [...new Set([...catalogue.seeds.values()].flatMap(seed => seed.value.users.map(user => user.id)))];
  const where = `${catalogue.manifest.value.seeds_dir}/`;
  return {
    message: `no seed set in ${where} has a user "${identity}"`,
    hint: `${suggest(identity, users, 'seed users')} (or add "${identity}" to a seed set of ${where} first)`,
  };
}

/**
 * The pack as lint would judge it: its pack.yaml (written in `staging`) against the schema, then the
 * catalogue's cross-checks and owners with it added. Every problem is refused at once, by its flag,
 * with the flags' own (`flagProblems`, see scaffoldOf); lint's of a flag that has one of those are
 * left out: they judge what was left of it (--layers without its unknown layer).
 */
function validate(
  view: CheckView,
  catalogue: Catalogue,
  pack: { id: string; dir: string; staging: string; files: Record<string, string> },
  layers: readonly Layer[],
  flagProblems: readonly Diagnostic[],
): Pack {
  const { id, dir, staging, files } = pack;
  const root = catalogue.root;
  // The texts as written to `staging`: judged from memory, not read back.
  const source = new YamlSource(`${dir}/pack.yaml`, files['pack.yaml']);
  const { value, diagnostics } = validateSource(source, packSchema, 'schemas/pack.schema.json');
  const specFiles = Object.keys(files)
    .filter(name => name.endsWith('.spec.ts'))
    .map(name => `${staging}/${name}`);
  const partial = value ?? lenientParse(packSchema, source.value());
  const packs: CheckView['packs'] = new Map(view.packs);
  packs.set(id, { value: { ...partial, id }, source, dir: staging, specFiles });
  const governance = loadGovernanceOrThrow(root, catalogue.manifest.value);
  const problems = [
    ...diagnostics,
    ...crossCheck({ ...view, packs }),
    ...(governance ? checkPackOwners(new Map([[id, packs.get(id)!]]), governance) : []),
  ].filter(d => d.severity === 'error');
  const flagged = new Set(flagProblems.map(d => d.path.split(' ')[0]));
  const judged = problems
    .map(d => asFlagProblem(d, staging, dir, layers))
    .filter(d => !flagged.has(d.path.split(' ')[0]));
  if (!value || judged.length || flagProblems.length)
    throw new PackgateError(
      'INPUT_INVALID',
      `pack new ${id}: the pack these flags make would not pass lint; nothing was written`,
      { diagnostics: [...flagProblems, ...judged], inputs: true },
    );
  return value;
}

/** A problem of the pack.yaml to be, said of the flag it came from (`--policy (policy.qa)`). */
function asFlagProblem(d: Diagnostic, staging: string, dir: string, layers: readonly Layer[]): Diagnostic {
  // Only the pack.yaml's own fields come from flags: a problem in another file (an environment that
  // does not load a seed set) is said at its file and line, where it is to be fixed.
  const file = d.file.replaceAll(staging, dir);
  const own = file === `${dir}/pack.yaml`;
  const field = d.path.split(/[.[]/)[0];
  const flag = own ? FLAG_OF[field] : undefined;
  const stage = /^policy\.(.+)$/.exec(d.path)?.[1];
  const unknownStage = d.rule === 'unknown-field' && stage !== undefined;
  return {
    ...d,
    file,
    path: flag ? `${flag} (${d.path})` : `${file}:${d.line}:${d.col} ${d.path}`.trim(),
    message: unknownStage ? `there is no stage "${stage}"` : d.message.replaceAll(staging, dir),
    hint: unknownStage
      ? d.hint?.replace('fields allowed here', 'stages')
      : (layersHint(d, stage, layers) ?? d.hint?.replaceAll(staging, dir)),
  };
}

/**
 * A stage whose environments run none of the layers, said in flags: lint's hint (edit pack.yaml, or
 * exclude the pack in an environment) names a file not written yet and a pack no environment knows.
 */
function layersHint(d: Diagnostic, stage: string | undefined, layers: readonly Layer[]): string | undefined {
  const wanted =
    d.rule === 'no-common-layer' && stage ? /^add (.+?) to layers: in /.exec(d.hint ?? '')?.[1] : undefined;
  if (!wanted) return undefined;
  const example = [...layers, wanted.split(' or ')[0]].join(',');
  return `add ${wanted} to --layers (e.g. --layers ${example}), or leave ${stage} out of --policy`;
}

function split(list: string): string[] {
  return list
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
}

/** The kebab-case of a name (`CheckoutFlow`, `checkout_flow`: `checkout-flow`), for the hint. */
function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
}
