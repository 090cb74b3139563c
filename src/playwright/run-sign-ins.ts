import type { Catalogue } from '../catalogue/load.ts';
import { personasOf, type ProjectPlan } from '../catalogue/project-plan.ts';
import { specIdentity } from '../catalogue/spec-path.ts';
import type { CommandLine } from '../run/command-line.ts';
import type { ProjectSelection } from './selection.ts';

/**
 * The sign-in setups of a run sign in only whom its selected tests may sign in as: the identities
 * and personas of the packs in the selected projects whose specs the command line's file filters
 * match. Playwright runs a dependency project whole, whatever the filters say, so without this a
 * run of one pack would sign in every persona of the environment (seconds on a short run).
 * `--grep` is not looked at: narrowing on it could leave a selected test without its sign-in.
 */
export function narrowSignIns(
  catalogue: Catalogue,
  plans: readonly ProjectPlan[],
  selection: ProjectSelection,
  commandLine: CommandLine,
): ProjectPlan[] {
  const filters = fileFilters(commandLine);
  const matches = (file: string) => !filters.length || filters.some(f => f.test(file));
  const packsDir = plans.find(p => p.kind === 'packs')?.metadata.packsDir;
  return plans.map(plan => {
    // A setup named on the command line runs as a whole, as it would in Playwright.
    if (plan.kind !== 'sign-in' || selection.selects(plan.name, false)) return plan;
    const packs = plans.flatMap(p =>
      p.kind === 'packs' && p.metadata.signIn === plan.name && selection.selects(p.name, p.isDefault)
        ? p.specs.filter(matches).flatMap(spec => (packsDir ? [specIdentity(packsDir, spec)?.pack] : []))
        : [],
    );
    const personas = personasOf(
      [...new Set(packs)].flatMap(id => (id && catalogue.packs.get(id) ? [catalogue.packs.get(id)!] : [])),
    );
    return { ...plan, metadata: { ...plan.metadata, personas } };
  });
}

/**
 * The file filters of a `playwright test` command line, as Playwright reads them: each a regular
 * expression (`/re/` or the text itself, case-insensitive) on the spec's path, `:line` dropped.
 */
export function fileFilters(commandLine: CommandLine): RegExp[] {
  return (commandLine.command === 'test' ? commandLine.operands : []).map(arg => {
    const file = /^(.*?):(\d+):?(\d+)?$/.exec(arg)?.[1] ?? arg;
    const literal = /^\/(.*)\/([gi]*)$/.exec(file);
    return literal ? new RegExp(literal[1], literal[2].replace('g', '')) : new RegExp(file, 'i');
  });
}
