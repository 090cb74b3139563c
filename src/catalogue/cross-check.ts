import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Layer, PathRef } from '../schema/common.ts';
import type { Environment } from '../schema/environment.ts';
import { layerRuns, layersSchema, type LayersInput, type Pack } from '../schema/pack.ts';
import { appliesTo } from './environment-packs.ts';
import type { CheckView } from './load.ts';
import { placeholdersOf } from './placeholders.ts';
import { checkSpecLiterals } from './spec-literals.ts';
import { checkRefusalClaims, claimsOfSpecs } from './refusal-claims.ts';
import { personasOf } from './project-plan.ts';
import { checkUnrunLayers } from './unrun-layers.ts';
import { checkShellSubstitutions } from './environment-substitution.ts';
import { checkEnvironmentUrls } from './environment-urls.ts';
import { checkSharedAccounts } from './shared-accounts.ts';
import { at, type YamlSource } from '../diagnostics/yaml-source.ts';
import { didYouMean, editDistance, nearest, suggest } from '../diagnostics/nearest.ts';

/**
 * Checks what no single file can: that names point at things that exist, that every declared
 * layer has a spec, and that packs and environments agree on what runs where. Works on partial
 * values too (files that failed validation), so one bad field does not hide the other problems.
 */
export function crossCheck(view: CheckView): Diagnostic[] {
  return [...checkPacks(view), ...checkEnvironments(view), ...checkFaults(view), ...checkUnrunLayers(view)];
}

function checkPacks(view: CheckView): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { packs, seeds, root } = view;
  for (const [id, { value: pack, source, dir }] of packs) {
    (pack.seeds ?? []).forEach((seed, i) => {
      if (!seedExists(view, seed))
        out.push(
          at(source, ['seeds', i], 'missing-seed', `seed set "${seed}" does not exist`, unknownSeedHint(seed, view)),
        );
    });
    const kinds = new Set((pack.seeds ?? []).flatMap(seed => Object.keys(seeds.get(seed)?.value.records ?? {})));
    const recordsUnread = (pack.seeds ?? []).some(seed => unread(view, seed, 'records'));
    (pack.records ?? []).forEach((kind, i) => {
      if (!kinds.has(kind) && !view.missingFolders?.has('seeds_dir') && !recordsUnread)
        out.push(
          at(
            source,
            ['records', i],
            'unknown-record-kind',
            `no seed set of this pack (${(pack.seeds ?? []).join(', ') || 'none'}) holds records "${kind}"`,
            `known kinds: ${list(kinds)}`,
          ),
        );
    });
    (pack.depends_on ?? []).forEach((upstream, i) => {
      if (upstream === id)
        out.push(
          at(
            source,
            ['depends_on', i],
            'self-dependency',
            'a pack cannot depend on itself',
            'remove it from depends_on',
          ),
        );
      else if (!packExists(view, upstream))
        out.push(
          at(
            source,
            ['depends_on', i],
            'unknown-pack',
            `pack "${upstream}" does not exist`,
            suggest(upstream, [...packs.keys()], 'packs'),
          ),
        );
    });
    const cycle = findCycle(view, id);
    if (cycle)
      out.push(
        at(
          source,
          ['depends_on'],
          'dependency-cycle',
          `depends_on forms a cycle: ${cycle.join(' -> ')}`,
          'break the cycle; a dependency means "cannot pass unless that one passes"',
        ),
      );

    out.push(...checkLayerSpecs(view, id), ...checkPackSources(root, dir));

    if (pack.seeds?.every(s => seeds.get(s)?.value.users)) {
      const users = pack.seeds.flatMap(s => seeds.get(s)!.value.users!);
      const signedIn: Array<[PropertyKey[], string]> = [
        ...(pack.identity ? [[['identity'], pack.identity] as [PropertyKey[], string]] : []),
        ...(pack.personas ?? []).map((persona, i): [PropertyKey[], string] => [['personas', i], persona]),
      ];
      for (const [field, user] of signedIn)
        if (!users.some(u => u.id === user))
          out.push(
            at(
              source,
              field,
              'unknown-identity',
              `no user "${user}" in the pack's seed sets (${pack.seeds.join(', ') || 'none'})`,
              `add the user to a seed set the pack lists, or use one of: ${users.map(u => u.id).join(', ') || '(no users)'}`,
            ),
          );
    }
    if (pack.personas?.length && !pack.identity)
      out.push(
        at(
          source,
          ['personas'],
          'personas-without-identity',
          'names personas to sign in as, but no identity: its tests run signed out',
          'name the identity the pack signs in as (identity: <seed user>)',
        ),
      );
  }
  return out;
}

/**
 * What `layers:` sends where: every layer runs a spec (but `manual` and `unit`: a person's checks,
 * the product suite's report), every spec it names exists, and
 * every spec beside pack.yaml runs at some layer (one that none runs is a journey nobody proves).
 */
function checkLayerSpecs(view: CheckView, id: string): Diagnostic[] {
  const { source, dir, specFiles } = view.packs.get(id)!;
  const written = layersSchema.safeParse((source.value() as { layers?: unknown } | undefined)?.layers);
  if (!written.success) return []; // the schema's problem, reported as such
  const out: Diagnostic[] = [];
  const runAt = new Map<string, Layer[]>();
  const listed = Array.isArray(written.data);
  for (const { layer, at: where, specs } of layerRuns(written.data)) {
    if (!specs.length && layer !== 'manual' && layer !== 'unit')
      out.push(
        at(
          source,
          ['layers', ...where],
          'missing-spec',
          `layer "${layer}" runs no spec`,
          `name the specs it runs: ${layer}: [<name>.spec.ts]`,
        ),
      );
    for (const spec of specs) {
      const file = `${dir}/${spec.file}`;
      if (specFiles.includes(file)) runAt.set(file, [...(runAt.get(file) ?? []), layer]);
      else
        out.push(
          at(
            source,
            ['layers', ...spec.at],
            'missing-spec',
            `layer "${layer}" has no spec file ${file}`,
            listed
              ? `write the ${layer} journey in ${file}, or remove the layer`
              : specFiles.length
                ? `write ${file}, or name one of the specs beside pack.yaml (${list(specFiles.map(f => path.basename(f)))})`
                : `write ${file}: the pack has no spec yet`,
          ),
        );
    }
  }
  const unrun = specFiles.filter(file => !runAt.has(file));
  for (const file of unrun)
    out.push({
      severity: 'error',
      rule: 'unrun-spec',
      file,
      line: 1,
      col: 1,
      path: '',
      message: `no layer runs this spec: ${dir}/pack.yaml names it under none of its layers`,
      hint: `name it under the layers that run it (${layersNaming(written.data, path.basename(file), source)}), or delete it`,
    });
  for (const [file, layers] of runAt) out.push(...checkSpecTags(view.root, file, id, layers));
  out.push(
    ...checkRefusalClaims(
      source,
      view.packs.get(id)!.value,
      claimsOfSpecs(view.root, [...runAt.keys()]),
      claimsOfSpecs(view.root, unrun),
    ),
  );
  return out;
}

/**
 * `layers:` with one more spec, for the hint of a spec no layer runs. A list runs `<layer>.spec.ts`
 * at each layer and names no other file, so it is given back as the map that runs the same specs
 * and this one at the pack's lowest reliable layer (a refusal's test, typically): adding
 * `{ api: refusals.spec.ts }` alone would replace the list and stop the specs it ran.
 */
function layersNaming(layers: LayersInput, spec: string, source: YamlSource): string {
  if (!Array.isArray(layers)) return `layers: { <layer>: ${spec} }`;
  const lowest = (source.value() as { lowest_reliable_layer?: unknown } | undefined)?.lowest_reliable_layer;
  const runs = layerRuns(layers).filter(run => run.specs.length);
  const target = runs.find(run => run.layer === lowest) ?? runs[0];
  if (!target) return `layers: { <layer>: ${spec} }`;
  const entries = runs.map(({ layer, specs }) => {
    const files = [...specs.map(s => s.file), ...(layer === target.layer ? [spec] : [])];
    return `${layer}: ${files.length === 1 ? files[0] : `[${files.join(', ')}]`}`;
  });
  return `layers: { ${entries.join(', ')} }`;
}

/**
 * A spec's pack is its path (`packs/<id>/<name>.spec.ts`), its layers what pack.yaml says. Tags are
 * optional (they let `--grep @pack:<id>` select a pack), but a tag naming another pack, or a layer
 * that is not the one layer running the spec, would mislead, so it is an error.
 */
function checkSpecTags(root: string, spec: string, id: string, layers: readonly Layer[]): Diagnostic[] {
  const text = fs.readFileSync(path.join(root, spec), 'utf8');
  const out: Diagnostic[] = [];
  for (const match of text.matchAll(/['"`]@(pack|layer):([a-z0-9-]+)['"`]/g)) {
    const [, kind, value] = match;
    if (kind === 'pack' ? value === id : layers.length === 1 && value === layers[0]) continue;
    const before = text.slice(0, match.index);
    const line = before.split('\n').length;
    const where = { severity: 'error' as const, rule: 'spec-tag-mismatch', file: spec, line, path: '' };
    const col = match.index - before.lastIndexOf('\n');
    if (kind === 'pack')
      out.push({
        ...where,
        col,
        message: `tag "@pack:${value}" disagrees with the spec's path, which makes it pack "${id}"`,
        hint: `the path decides: remove the tag, or change it to "@pack:${id}"`,
      });
    else
      out.push({
        ...where,
        col,
        message:
          layers.length === 1
            ? `tag "@layer:${value}" disagrees with pack.yaml, which runs this spec at layer "${layers[0]}"`
            : `tag "@layer:${value}" names one layer, but pack.yaml runs this spec at ${layers.join(', ')}`,
        hint:
          layers.length === 1
            ? `pack.yaml decides: remove the tag, or change it to "@layer:${layers[0]}"`
            : 'remove the tag: --project=<env>-<layer> selects a layer',
      });
  }
  return out;
}

/** Every TypeScript file of a pack (its specs and their helpers), checked for deployment-specific literals. */
function checkPackSources(root: string, dir: string): Diagnostic[] {
  return fs
    .readdirSync(path.join(root, dir))
    .filter(name => name.endsWith('.ts'))
    .sort()
    .flatMap(name => checkSpecLiterals(`${dir}/${name}`, fs.readFileSync(path.join(root, dir, name), 'utf8')));
}

/** Each seed user the given packs sign in as (as the sign-in setup decides: personasOf), with the packs that do. */
function usersSignedIn(running: ReadonlyArray<{ id: string; pack: Partial<Pack> }>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { id, pack } of running)
    for (const user of personasOf([{ value: { identity: pack.identity, personas: pack.personas ?? [] } }]))
      out.set(user, [...(out.get(user) ?? []), id]);
  return out;
}

/** Packs (valid or partial) an environment runs, by its stage, kind and include/exclude lists. */
function packsRunIn(
  view: CheckView,
  env: Partial<Environment>,
): Array<{ id: string; pack: Partial<Pack>; why: 'policy' | 'included' }> {
  if (!env.stage || !env.kind) return [];
  const excluded = new Set((env.packs?.exclude ?? []).map(e => e.pack));
  const included = new Set((env.packs?.include ?? []).map(i => i.pack));
  const out: Array<{ id: string; pack: Partial<Pack>; why: 'policy' | 'included' }> = [];
  for (const [id, { value: pack }] of view.packs) {
    if (excluded.has(id)) continue;
    if (pack.policy && appliesTo({ policy: pack.policy, kinds: pack.kinds }, { stage: env.stage, kind: env.kind }))
      out.push({ id, pack, why: 'policy' });
    else if (included.has(id)) out.push({ id, pack, why: 'included' });
  }
  return out;
}

function checkEnvironments(view: CheckView): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { packs, seeds, environments } = view;
  for (const [name, { value: env, source }] of environments) {
    const signedInBy = usersSignedIn(packsRunIn(view, env));
    (env.seeds ?? []).forEach((seedId, i) => {
      const seed = seeds.get(seedId);
      if (!seedExists(view, seedId)) {
        out.push(
          at(
            source,
            ['seeds', i],
            'missing-seed',
            `seed set "${seedId}" does not exist`,
            unknownSeedHint(seedId, view),
          ),
        );
        return;
      }
      if (!seed || !env.secrets) return;
      for (const user of seed.value.users ?? []) {
        // Only the accounts a pack run here signs in as need their secret: a deployment with one
        // test account defines one secret, whatever else its seed sets describe.
        const users = signedInBy.get(user.id);
        if (!users || env.noAccountFor?.includes(user.id)) continue;
        // A persona mapped to an account of this environment uses that account's secret.
        const mapped = env.identities?.[user.id]?.passwordSecret;
        const secret = mapped ?? user.passwordSecret;
        if (env.secrets[secret]) continue;
        // A key under secrets: a typo or two away (not another account's secret): the likelier mistake,
        // made where the name was written in this file: the identity's password_secret when it maps
        // one (the secret is there, its name misspelt), else the key (the seed set names it).
        const near = Object.keys(env.secrets).find(key => editDistance(key, secret) <= 2);
        const mistyped = near && mapped ? 'mapping' : near ? 'key' : undefined;
        out.push(
          at(
            source,
            mistyped === 'key'
              ? ['secrets', near!]
              : mapped
                ? ['identities', user.id, 'password_secret']
                : ['seeds', i],
            'missing-secret',
            `seed set "${seedId}" user "${user.id}" needs secret "${secret}", which this environment does not define ` +
              `(pack ${users[0]}${users.length > 1 ? ` and ${users.length - 1} more` : ''} sign${users.length > 1 ? '' : 's'} in as "${user.id}" here)`,
            mistyped === 'mapping'
              ? `secrets: names "${near}": did you mean password_secret: ${near}?`
              : mistyped === 'key'
                ? `secrets: names "${near}": did you mean "${secret}"? rename it`
                : `add under secrets: ${secret}: { env: ${envVarHint(name, secret)} }, or run no pack that signs in as "${user.id}" here`,
          ),
        );
      }
    });
    // Personas the descriptor names (an account mapped, or none): each a user of its seed sets.
    const personas = new Set((env.seeds ?? []).flatMap(id => (seeds.get(id)?.value.users ?? []).map(user => user.id)));
    const named: Array<[PropertyKey[], string]> = [
      ...Object.keys(env.identities ?? {}).map((persona): [PropertyKey[], string] => [
        ['identities', persona],
        persona,
      ]),
      ...(env.noAccountFor ?? []).map((persona, i): [PropertyKey[], string] => [['no_account_for', i], persona]),
    ];
    const usersUnread = (env.seeds ?? []).some(id => unread(view, id, 'users'));
    for (const [where, persona] of named)
      if (!personas.has(persona) && !usersUnread)
        out.push(
          at(
            source,
            where,
            'unknown-identity',
            `"${persona}" is no user of this environment's seed sets (${(env.seeds ?? []).join(', ') || 'none'})`,
            `name one of ${list(personas)}`,
          ),
        );
    out.push(
      ...checkSharedAccounts(
        env,
        (env.seeds ?? []).flatMap(id => seeds.get(id)?.value.users ?? []),
        source,
      ),
    );
    // A pack signs in as its identity for every test: without that account it cannot run at all.
    (env.noAccountFor ?? []).forEach((persona, i) => {
      for (const { id, pack } of packsRunIn(view, env))
        if (pack.identity === persona)
          out.push(
            at(
              source,
              ['no_account_for', i],
              'identity-without-account',
              `pack "${id}" runs here and signs in as "${persona}" in every test, but this environment has no account for it`,
              `give "${persona}" an account (identities:, secrets:), or exclude ${id} under packs.exclude with a reason`,
            ),
          );
    });
    out.push(...checkPackSelection(view, name, env, source));
    const clientSecret = env.oidc?.clientSecretName;
    if (clientSecret && env.secrets && !env.secrets[clientSecret])
      out.push(
        at(
          source,
          ['oidc', 'client_secret'],
          'missing-secret',
          `secret "${clientSecret}" is not defined in this environment`,
          `add under secrets: ${clientSecret}: { env: ${envVarHint(name, clientSecret)} }`,
        ),
      );
    const running = new Set(packsRunIn(view, env).map(p => p.id));
    for (const [packId, override] of Object.entries(env.overrides ?? {})) {
      const pack = packs.get(packId)?.value;
      if (!pack) {
        if (!packExists(view, packId)) out.push(unknownPack(view, source, ['overrides', packId], packId));
        continue;
      }
      if (!running.has(packId))
        out.push(
          at(
            source,
            ['overrides', packId],
            'override-unused',
            `pack "${packId}" does not run in "${name}", so this override is never used`,
            `remove the override, or make the pack run here (its policy names stage ${env.stage ?? '?'}, or packs.include)`,
            { severity: 'warning' },
          ),
        );
      for (const kind of ['paths', 'selectors'] as const) {
        const known = pack[kind];
        if (!known) continue;
        for (const [key, value] of Object.entries(override[kind])) {
          if (!(key in known)) {
            out.push(
              at(
                source,
                ['overrides', packId, kind, key],
                'unknown-override',
                `pack "${packId}" has no ${kind.slice(0, -1)} named "${key}"`,
                `overridable ${kind}: ${list(Object.keys(known))}`,
                { key: true },
              ),
            );
            continue;
          }
          // Specs pass a value for each placeholder of the pack's own template, and their types say
          // which (pack.gen.ts): an override may move a path or selector, not ask for other values.
          const [own, theirs] = [known[key], value].map(v => braced(placeholdersOf(templateOf(v)).sort()));
          if (own !== theirs)
            out.push(
              at(
                source,
                ['overrides', packId, kind, key],
                'override-placeholders',
                `overrides ${kind.slice(0, -1)} "${key}" of pack "${packId}" with placeholders ${theirs}, but the pack's has ${own}`,
                `use the placeholders of ${packs.get(packId)!.dir}/pack.yaml (${own}): specs fill exactly those`,
              ),
            );
        }
      }
    }
    out.push(...checkShellSubstitutions(env, source), ...checkEnvironmentUrls(env, source));
  }
  return out;
}

/**
 * What an environment runs: its include and exclude lists name real packs and change something, and
 * every pack it runs has one of its layers and the seed sets it needs.
 */
function checkPackSelection(
  view: CheckView,
  name: string,
  env: Partial<Environment>,
  source: YamlSource,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ownPolicy = (id: string) => {
    const pack = view.packs.get(id)?.value;
    return (
      pack?.policy &&
      env.stage &&
      env.kind &&
      appliesTo({ policy: pack.policy, kinds: pack.kinds }, { stage: env.stage, kind: env.kind })
    );
  };
  (env.packs?.include ?? []).forEach(({ pack }, i) => {
    if (!packExists(view, pack)) out.push(unknownPack(view, source, ['packs', 'include', i, 'pack'], pack));
    else if (ownPolicy(pack))
      out.push(
        at(
          source,
          ['packs', 'include', i],
          'include-unused',
          `pack "${pack}" already runs in "${name}" by its own policy for stage ${env.stage}`,
          "remove it from packs.include; change the pack's policy to change how much it matters",
          { severity: 'warning' },
        ),
      );
  });
  (env.packs?.exclude ?? []).forEach(({ pack }, i) => {
    if (!packExists(view, pack)) out.push(unknownPack(view, source, ['packs', 'exclude', i, 'pack'], pack));
    else if (!ownPolicy(pack))
      out.push(
        at(
          source,
          ['packs', 'exclude', i],
          'exclude-unused',
          `pack "${pack}" does not run in "${name}" anyway (${whyNotRun(view.packs.get(pack)!.value, env)})`,
          'remove it from packs.exclude',
          { severity: 'warning' },
        ),
      );
  });
  for (const { id, pack, why } of packsRunIn(view, env)) {
    // Reported where the decision to run it was made: the pack's policy, or the environment's include.
    const [whereFile, wherePath] =
      why === 'policy' ? [view.packs.get(id)!.source, ['policy', env.stage!]] : [source, ['packs', 'include']];
    if (env.layers && pack.layers && !pack.layers.some(l => env.layers!.includes(l)))
      out.push(
        at(
          whereFile,
          wherePath,
          'no-common-layer',
          `pack "${id}" runs in "${name}" (stage ${env.stage}, ${env.kind}) but none of its layers (${pack.layers.join(', ')}) ` +
            `is one "${name}" runs (${env.layers.join(', ')})`,
          `add ${env.layers.join(' or ')} to layers: in ${view.packs.get(id)!.dir}/pack.yaml with the spec it runs ` +
            `(e.g. ${env.layers[0]}: <name>.spec.ts), or exclude it in ${source.file} under packs.exclude with a reason`,
        ),
      );
    for (const seed of pack.seeds ?? []) {
      // A listed seed set that does not exist and is a typo of this one is said once, where it is written.
      const misspelt = env.seeds?.some(listed => !view.seeds.has(listed) && nearest(listed, [seed]));
      if (view.seeds.has(seed) && env.seeds && !env.seeds.includes(seed) && !misspelt)
        out.push(
          at(
            source,
            ['seeds'],
            'seed-not-loaded',
            `pack "${id}" needs seed set "${seed}", which this environment does not list`,
            `add ${seed} to seeds`,
          ),
        );
    }
  }
  return out;
}

function whyNotRun(pack: Partial<Pack>, env: Partial<Environment>): string {
  if (env.stage && !pack.policy?.[env.stage]) return `its policy names no stage ${env.stage}`;
  return `its kinds (${pack.kinds?.join(', ')}) leave out ${env.kind}`;
}

/**
 * A pack the catalogue has, or one whose pack.yaml is not YAML, or any pack where packgate.yaml names
 * a packs folder that is not there (each said once, by its own error).
 */
function packExists(view: CheckView, id: string): boolean {
  return view.packs.has(id) || view.unreadablePacks.has(id) || !!view.missingFolders?.has('packs_dir');
}

/** A seed set the catalogue has, or any where packgate.yaml names a seeds folder that is not there (said there). */
function seedExists(view: CheckView, id: string): boolean {
  return view.seeds.has(id) || view.unreadableSeeds.has(id) || !!view.missingFolders?.has('seeds_dir');
}

/**
 * Whether a seed set is there but what it holds of `field` is not known: its file is not YAML, or
 * the field did not validate. Its own error says so; what it holds is then not said to be missing
 * (one bad record had every pack reading the set told it "holds no records", known kinds "(none)").
 */
function unread(view: CheckView, id: string, field: 'records' | 'users'): boolean {
  const seed = view.seeds.get(id);
  return view.unreadableSeeds.has(id) || (seed !== undefined && seed.value[field] === undefined);
}

function unknownPack(view: CheckView, source: YamlSource, fieldPath: PropertyKey[], id: string): Diagnostic {
  return at(
    source,
    fieldPath,
    'unknown-pack',
    `pack "${id}" does not exist`,
    suggest(id, [...view.packs.keys()], 'packs'),
  );
}

function checkFaults(view: CheckView): Diagnostic[] {
  return view.faults
    .filter(({ value }) => value.pack !== undefined && !packExists(view, value.pack))
    .map(({ value: fault, source, index }) =>
      at(
        source,
        ['faults', index, 'pack'],
        'unknown-pack',
        `fault "${fault.id}" names pack "${fault.pack}", which does not exist`,
        suggest(fault.pack!, [...view.packs.keys()], 'packs'),
      ),
    );
}

/** The dependency cycle through `start`, if there is one. */
function findCycle(view: CheckView, start: string): string[] | undefined {
  const walk = (id: string, trail: string[]): string[] | undefined => {
    for (const next of view.packs.get(id)?.value.depends_on ?? []) {
      if (next === start) {
        // A pack naming itself is reported as a self-dependency, not as a cycle.
        if (trail.length > 1) return [...trail, next];
        continue;
      }
      if (trail.includes(next)) continue;
      const found = walk(next, [...trail, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

function braced(names: readonly string[]): string {
  return names.length ? names.map(n => `{${n}}`).join(', ') : 'none';
}

function templateOf(ref: PathRef | string): string {
  return typeof ref === 'string' ? ref : ref.path;
}

function envVarHint(envName: string, secret: string): string {
  return `PACKGATE_${envName}_${secret}`.toUpperCase().replace(/-/g, '_');
}

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length ? all.join(', ') : '(none)';
}

/** A seed set named that does not exist: the one it is a typo of, else how to make it. */
function unknownSeedHint(seed: string, view: CheckView): string {
  return (
    didYouMean(seed, [...view.seeds.keys()]) ??
    `create ${view.manifest.seeds_dir}/${seed}.yaml or remove it (known: ${list(view.seeds.keys())})`
  );
}
