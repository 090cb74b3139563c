import type { Catalogue } from '../catalogue/load.ts';
import { excludedPacks, packsOfEnvironment } from '../catalogue/environment-packs.ts';
import type { ProjectPlan } from '../catalogue/project-plan.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { nearest } from '../diagnostics/nearest.ts';
import { layers, sortLayers } from '../schema/constants.ts';
import { matchesProject } from './selection.ts';

/**
 * Stops a run whose `--project` values hold a misspelt project of the catalogue, before the run
 * starts (exit 2), with the nearest name and the catalogue's projects each named once.
 *
 * Playwright refuses them too, but only after the config has loaded, and its message ("Project(s) "x"
 * not found. Available projects: ...") names each layer twice (a layer is two projects of one name,
 * see project-plan.ts) and offers no did-you-mean (and exits 1, as a BLOCKED gate does). Only a value
 * packgate can correct is refused here: one that is some catalogue project's near miss, an
 * environment's name alone, catalogue projects joined by commas, or `<environment>-<layer>` of a
 * catalogue environment and a layer it has no project of (`local-unit` where local does not list
 * unit, `demo-manual`: manual checks are read, never run), or patterns with `*` that all match nothing
 * and name a catalogue environment (one that runs no pack) or a typo of one. Any other unknown value may be a project playwright.config.ts adds beside the
 * catalogue's, which this setup never sees: Playwright judges it (and refuses it if it is none).
 * Matching follows Playwright's filterProjects to the letter (any case, whole names, `*`), and values
 * are never split at commas: `--project=a,b` names one project, "a,b".
 *
 * @param patterns the `--project` values (projectSelection's), undefined when none was given
 * @param plans every project the catalogue defines, deployed environments' included
 * @param catalogue its environments (the layers each lists, for `<environment>-<layer>`) and where they are
 */
export function checkProjectFilter(
  patterns: readonly string[] | undefined,
  plans: readonly ProjectPlan[],
  catalogue: Pick<Catalogue, 'environments' | 'manifest' | 'packs'>,
): void {
  if (!patterns) return;
  const environmentsDir = catalogue.manifest.value.environments_dir;
  const names = [...new Set(plans.map(p => p.name))];
  const unknown = [...new Set(patterns)].filter(p => !p.includes('*') && !names.some(name => matchesProject(p, name)));
  const corrections = suggestions(unknown, plans, catalogue.environments);
  const empty = corrections ? undefined : emptyPatterns(patterns, names, catalogue);
  if (!corrections && !empty) return;
  const headline = corrections
    ? `no project ${quoted(unknown)} in this catalogue${corrections}`
    : `no project matches ${quoted([...new Set(patterns)])} in this catalogue: ${empty}`;
  const example =
    plans.find(p => p.isDefault)?.metadata.environment ?? plans[0]?.metadata.environment ?? '<environment>';
  throw new PackgateError('INPUT_INVALID', `${headline}\n${listing(plans)}`, {
    hint:
      `give --project one of these, in any case, or a pattern with * (--project='${example}-*'); ` +
      `an environment in ${environmentsDir}/ has a project <environment>-<layer> per layer its packs run`,
  });
}

/**
 * Stops a test run whose selected projects belong to more than one environment (`--project='*-remote'`,
 * `--project local-api demo-remote`, two environments run by default), before any of them runs: a
 * verdict judges one environment, so the gate blocked such a run only at its end, after every test had
 * run against each environment (a production deployment among them), judging the first alone.
 *
 * @param selected the projects the run selects (sign-in setups named or run by default included)
 * @param patterns the `--project` values, undefined for the default projects
 */
export function checkOneEnvironment(selected: readonly ProjectPlan[], patterns: readonly string[] | undefined): void {
  const byEnvironment = new Map<string, Set<string>>();
  for (const plan of selected)
    byEnvironment.set(
      plan.metadata.environment,
      (byEnvironment.get(plan.metadata.environment) ?? new Set()).add(plan.name),
    );
  if (byEnvironment.size < 2) return;
  const environments = [...byEnvironment].sort(([a], [b]) => a.localeCompare(b));
  const what = patterns
    ? `--project ${quoted([...new Set(patterns)])} selects projects of`
    : 'the projects run by default belong to';
  throw new PackgateError(
    'INPUT_INVALID',
    `${what} ${environments.length} environments ` +
      `(${environments.map(([name, projects]) => `${name}: ${[...projects].join(', ')}`).join('; ')}), ` +
      'and a gate run judges one environment',
    {
      hint:
        'run each environment on its own: ' +
        environments.map(([, projects]) => `--project ${[...projects].join(' ')}`).join(', then ') +
        (patterns ? '' : '; or set run_by_default: false in the descriptors of those that should run only when named'),
    },
  );
}

/**
 * Why patterns with `*` that match no project at all (`--project='acme-*'`) match nothing, when one
 * could name a catalogue environment's projects, or is a typo of one's: Playwright's refusal of them
 * is "No projects matched" with its stack trace, exit 1, listing every layer twice. An environment
 * whose packs are all excluded, or whose stage no pack's policy names, has no project at all.
 */
function emptyPatterns(
  patterns: readonly string[],
  names: readonly string[],
  catalogue: Pick<Catalogue, 'environments' | 'packs'>,
): string | undefined {
  if (!patterns.every(p => p.includes('*')) || patterns.some(p => names.some(name => matchesProject(p, name))))
    return undefined;
  const packs = [...catalogue.packs.values()].map(p => p.value);
  const reasons = new Set<string>();
  for (const pattern of patterns) {
    const named = [...catalogue.environments].filter(([name]) =>
      [...layers, 'sign-in'].some(layer => matchesProject(pattern, `${name}-${layer}`)),
    );
    for (const [name, { value: env, source }] of named) {
      if (packsOfEnvironment(env, packs).length) continue;
      const excluded = excludedPacks(env, packs).length;
      const kind = env.kind === 'remote' ? '' : ` for a ${env.kind} environment`;
      const why = excluded
        ? `packs.exclude in ${source.file} leaves out each of the ${excluded} packs stage ${env.stage} runs`
        : `no pack's policy names stage ${env.stage}${kind}, and packs.include in ${source.file} adds none`;
      reasons.add(`${name} runs no pack, so it has no project (${why})`);
    }
    if (!named.length) {
      const near = nearest(pattern.split('*')[0]!.replace(/-$/, ''), [...catalogue.environments.keys()]);
      if (near) reasons.add(`did you mean "${near}-*"?`);
    }
  }
  return reasons.size ? [...reasons].join('; ') : undefined;
}

function quoted(values: readonly string[]): string {
  return values.map(v => `"${v}"`).join(' or ');
}

/**
 * `: did you mean "local-browser"?` for a misspelt name; an environment's name alone points at its
 * projects (`"local-*"`); a list written with commas, at the projects one after the other
 * (Playwright takes `--project=a,b` for one name). Several unknown values say which is for which.
 * An environment's layer it has no project of says why (see layerMiss), before any near name: the
 * nearest name to `local-unit` is `local-api`, which is not what was asked for.
 */
function suggestions(
  unknown: readonly string[],
  plans: readonly ProjectPlan[],
  environmentFiles: Catalogue['environments'],
): string {
  const names = [...new Set(plans.map(p => p.name))];
  const environments = [...new Set(plans.map(p => p.metadata.environment))];
  const misses = unknown.flatMap(value => {
    const why = layerMiss(value, environmentFiles);
    return why ? [unknown.length > 1 ? `"${value}": ${why}` : why] : [];
  });
  const near = unknown.flatMap(value => {
    if (layerMiss(value, environmentFiles)) return [];
    const parts = value.split(',');
    if (parts.length > 1 && parts.every(part => names.some(name => matchesProject(part, name))))
      return [{ value, suggestion: `--project ${parts.join(' ')}` }];
    const environment = environments.find(e => e.toLocaleLowerCase() === value.toLocaleLowerCase());
    const suggestion = environment ? `${environment}-*` : nearest(value, names);
    return suggestion ? [{ value, suggestion: `"${suggestion}"` }] : [];
  });
  const said = near.map(n => (unknown.length > 1 ? `${n.suggestion} for "${n.value}"` : n.suggestion));
  const parts = [...(said.length ? [`did you mean ${said.join(', ')}?`] : []), ...misses];
  return parts.length ? `: ${parts.join('; ')}` : '';
}

/**
 * Why `<environment>-<layer>` (any case) names no project, when the environment is the catalogue's
 * and the layer one of packgate's: manual checks are read by the gate, never run as a project; else
 * the environment does not list the layer, or lists it and no pack it runs declares it.
 */
function layerMiss(value: string, environments: Catalogue['environments']): string | undefined {
  const lower = value.toLowerCase();
  for (const [name, { value: env, source }] of environments) {
    if (!lower.startsWith(`${name.toLowerCase()}-`)) continue;
    const layer = layers.find(l => l === lower.slice(name.length + 1));
    if (!layer) continue;
    if (layer === 'manual')
      return (
        'the manual layer has no project: a gate reads the verdicts people recorded of its checks ' +
        '(`npx packgate manual run|record`) and judges them beside the tests'
      );
    if (!env.layers.includes(layer))
      return `${name} does not run the ${layer} layer (layers in ${source.file}: ${sortLayers(env.layers).join(', ')})`;
    return `${name} lists the ${layer} layer, but no pack it runs declares it, so it has no project`;
  }
  return undefined;
}

/** The projects by environment, each name once; those `npx playwright test` alone does not run, said so. */
function listing(plans: readonly ProjectPlan[]): string {
  const byEnvironment = new Map<string, { names: Set<string>; isDefault: boolean }>();
  for (const plan of plans) {
    const entry = byEnvironment.get(plan.metadata.environment) ?? { names: new Set(), isDefault: false };
    entry.names.add(plan.name);
    entry.isDefault ||= plan.isDefault;
    byEnvironment.set(plan.metadata.environment, entry);
  }
  if (!byEnvironment.size) return '  this catalogue has no projects: no environment runs a pack';
  const lines = [...byEnvironment].map(
    ([environment, { names, isDefault }]) =>
      `    ${environment}: ${[...names].join(', ')}${isDefault ? '' : ' (run only when named)'}`,
  );
  return `  projects by environment:\n${lines.join('\n')}`;
}
