import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { EnvValue } from '../schema/common.ts';
import type { CheckView } from './load.ts';
import { at } from './yaml-source.ts';

/**
 * Checks what no single file can: that names point at things that exist, that every declared
 * layer has a spec, and that packs and environments agree on what runs where. Works on partial
 * values too (files that failed validation), so one bad field does not hide the other problems.
 */
export function crossCheck(view: CheckView): Diagnostic[] {
  return [...checkPacks(view), ...checkEnvironments(view), ...checkFaults(view)];
}

function checkPacks(view: CheckView): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { packs, seeds, environments, root, manifest } = view;
  for (const [id, { value: pack, source, specs, dir }] of packs) {
    (pack.seeds ?? []).forEach((seed, i) => {
      if (!seeds.has(seed))
        out.push(
          at(
            source,
            ['seeds', i],
            'missing-seed',
            `seed set "${seed}" does not exist`,
            `create ${manifest.seeds_dir}/${seed}.yaml or remove it (known: ${list(seeds.keys())})`,
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
      else if (!packs.has(upstream))
        out.push(
          at(
            source,
            ['depends_on', i],
            'unknown-pack',
            `pack "${upstream}" does not exist`,
            `known packs: ${list(packs.keys())}`,
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

    (pack.layers ?? []).forEach((layer, i) => {
      if (layer === 'manual') return;
      const spec = specs.get(layer);
      if (!spec) {
        out.push(
          at(
            source,
            ['layers', i],
            'missing-spec',
            `layer "${layer}" has no spec file ${dir}/${layer}.spec.ts`,
            `write the ${layer} journey in ${dir}/${layer}.spec.ts, or remove the layer`,
          ),
        );
        return;
      }
      const text = fs.readFileSync(path.join(root, spec), 'utf8');
      for (const tag of [`@pack:${id}`, `@layer:${layer}`]) {
        if (!text.includes(tag))
          out.push({
            severity: 'error',
            rule: 'spec-tags',
            file: spec,
            line: 1,
            col: 1,
            path: '',
            message: `spec does not carry the tag "${tag}"`,
            hint: `tag its describe block: test.describe('...', { tag: ['@pack:${id}', '@layer:${layer}'] }, ...) so --grep and the gate find it`,
          });
      }
    });
    if (pack.layers) {
      for (const [layer, spec] of specs) {
        if (!pack.layers.includes(layer))
          out.push({
            severity: 'warning',
            rule: 'undeclared-spec',
            file: spec,
            line: 1,
            col: 1,
            path: '',
            message: `layer "${layer}" is not declared in ${dir}/pack.yaml, so this spec never runs`,
            hint: `add ${layer} to layers, or delete the file`,
          });
      }
    }

    if (pack.identity && pack.seeds?.every(s => seeds.get(s)?.value.users)) {
      const users = pack.seeds.flatMap(s => seeds.get(s)!.value.users!);
      if (!users.some(u => u.id === pack.identity))
        out.push(
          at(
            source,
            ['identity'],
            'unknown-identity',
            `no user "${pack.identity}" in the pack's seed sets (${pack.seeds.join(', ') || 'none'})`,
            `add the user to a seed set the pack lists, or use one of: ${users.map(u => u.id).join(', ') || '(no users)'}`,
          ),
        );
    }

    (pack.environments ?? []).forEach((envName, i) => {
      const located = environments.get(envName);
      if (!located) {
        out.push(
          at(
            source,
            ['environments', i],
            'unknown-environment',
            `environment "${envName}" does not exist`,
            `known environments: ${list(environments.keys())}`,
          ),
        );
        return;
      }
      const env = located.value;
      if (env.stage && pack.policy && !pack.policy[env.stage])
        out.push(
          at(
            source,
            ['policy'],
            'missing-policy',
            `the pack runs in "${envName}" (stage ${env.stage}) but has no policy for stage ${env.stage}`,
            `add "${env.stage}: blocking" or "${env.stage}: advisory" under policy`,
          ),
        );
      if (env.layers && pack.layers && !pack.layers.some(l => env.layers!.includes(l)))
        out.push(
          at(
            source,
            ['environments', i],
            'no-common-layer',
            `the pack runs in "${envName}" but none of its layers (${pack.layers.join(', ')}) is allowed there (${env.layers.join(', ')})`,
            `implement one of ${env.layers.join(', ')} or stop targeting ${envName}`,
          ),
        );
      for (const seed of pack.seeds ?? []) {
        if (seeds.has(seed) && env.seeds && !env.seeds.includes(seed))
          out.push(
            at(
              located.source,
              ['seeds'],
              'seed-not-loaded',
              `pack "${id}" needs seed set "${seed}", which this environment does not list`,
              `add ${seed} to seeds`,
            ),
          );
      }
    });
  }
  return out;
}

function checkEnvironments(view: CheckView): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { packs, seeds, environments } = view;
  for (const [name, { value: env, source }] of environments) {
    (env.seeds ?? []).forEach((seedId, i) => {
      const seed = seeds.get(seedId);
      if (!seed) {
        out.push(
          at(
            source,
            ['seeds', i],
            'missing-seed',
            `seed set "${seedId}" does not exist`,
            `known seed sets: ${list(seeds.keys())}`,
          ),
        );
        return;
      }
      if (!env.secrets) return;
      for (const user of seed.value.users ?? []) {
        if (!env.secrets[user.password_secret])
          out.push(
            at(
              source,
              ['seeds', i],
              'missing-secret',
              `seed set "${seedId}" user "${user.id}" needs secret "${user.password_secret}", which this environment does not define`,
              `add under secrets: ${user.password_secret}: { env: ${envVarHint(name, user.password_secret)} }`,
            ),
          );
      }
    });
    for (const [packId, override] of Object.entries(env.packs ?? {})) {
      const pack = packs.get(packId)?.value;
      if (!pack) {
        out.push(
          at(
            source,
            ['packs', packId],
            'unknown-pack',
            `pack "${packId}" does not exist`,
            `known packs: ${list(packs.keys())}`,
          ),
        );
        continue;
      }
      if (pack.environments && !pack.environments.includes(name))
        out.push(
          at(
            source,
            ['packs', packId],
            'override-unused',
            `pack "${packId}" does not run in "${name}", so this override is never used`,
            `add ${name} to the pack's environments, or remove the override`,
            { severity: 'warning' },
          ),
        );
      for (const kind of ['paths', 'selectors'] as const) {
        const known = pack[kind];
        if (!known) continue;
        for (const key of Object.keys(override[kind])) {
          if (!(key in known))
            out.push(
              at(
                source,
                ['packs', packId, kind, key],
                'unknown-override',
                `pack "${packId}" has no ${kind.slice(0, -1)} named "${key}"`,
                `overridable ${kind}: ${list(Object.keys(known))}`,
                { key: true },
              ),
            );
        }
      }
    }
    for (const [key, value] of Object.entries(env.urls ?? {})) {
      const literal = literalOf(value);
      if (!literal) continue;
      const fieldPath = typeof value === 'string' ? ['urls', key] : ['urls', key, 'default'];
      let url: URL;
      try {
        url = new URL(literal);
      } catch {
        out.push(
          at(
            source,
            fieldPath,
            'invalid-url',
            `"${literal}" is not a URL`,
            'write an absolute URL such as https://app.example.com',
          ),
        );
        continue;
      }
      if (url.protocol === 'http:' && !env.allow_http)
        out.push(
          at(
            source,
            fieldPath,
            'insecure-url',
            `must be an https URL${env.stage ? ` for stage ${env.stage}` : ''}`,
            env.stage === 'dev'
              ? 'use https, or set allow_http: true for this dev environment'
              : 'use the deployed https URL',
          ),
        );
    }
  }
  return out;
}

function checkFaults(view: CheckView): Diagnostic[] {
  return view.faults
    .filter(({ value }) => value.pack !== undefined && !view.packs.has(value.pack))
    .map(({ value: fault, source, index }) =>
      at(
        source,
        ['faults', index, 'pack'],
        'unknown-pack',
        `fault "${fault.id}" names pack "${fault.pack}", which does not exist`,
        `known packs: ${list(view.packs.keys())}`,
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

function literalOf(value: EnvValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.default;
}

function envVarHint(envName: string, secret: string): string {
  return `PACKGATE_${envName}_${secret}`.toUpperCase().replace(/-/g, '_');
}

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length ? all.join(', ') : '(none)';
}
