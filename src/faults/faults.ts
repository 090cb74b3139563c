import { packsOfEnvironment } from '../catalogue/environment-packs.ts';
import type { Catalogue } from '../catalogue/load.ts';
import { stages } from '../schema/constants.ts';
import type { Fault } from '../schema/project.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { nearest } from '../diagnostics/nearest.ts';

/** Comma-separated ids of faults to inject into the embedded stack. */
export const FAULTS_VAR = 'PACKGATE_STACK_FAULTS';

/**
 * The process a stack lives for (`packgate stack start`, a run's Playwright runner): the stack stops
 * once it has ended. In a process group of its own, the stack hears no signal that ends its owner
 * without passing one on (SIGKILL, SIGHUP from a closed terminal). Who started the stack is no
 * setting: it is kept out of the fingerprint.
 */
export const OWNER_PID_VAR = 'PACKGATE_STACK_OWNER_PID';

/**
 * What a stack reads besides its faults to shape what it serves (`PACKGATE_STACK_*`: its login UI,
 * paths, session length, ...), those set: with its faults, what tells one stack from another.
 */
export function stackSettings(processEnv: Record<string, string | undefined> = process.env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(processEnv)
      .filter(
        (entry): entry is [string, string] =>
          /^PACKGATE_STACK_/.test(entry[0]) && entry[0] !== FAULTS_VAR && entry[0] !== OWNER_PID_VAR && !!entry[1],
      )
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** The faults a run asks for, checked against the fault catalogue. */
export function requestedFaults(
  catalogue: Catalogue,
  processEnv: Record<string, string | undefined> = process.env,
  /** Where the user wrote them, for the error: the env var, or a command's flag. */
  givenAs: string = FAULTS_VAR,
): string[] {
  const ids = (processEnv[FAULTS_VAR] ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  const unknown = ids.filter(id => !catalogue.faults.has(id));
  if (unknown.length) {
    const known = [...catalogue.faults.keys()];
    // Known faults written with another separator (`a b`, `a;b`): the list as it should be written.
    const parts = (id: string) => id.split(/[\s;|]+/).filter(Boolean);
    const separated = unknown.every(id => parts(id).length > 1 && parts(id).every(p => catalogue.faults.has(p)));
    // A misspelt id gets its nearest fault; a list of 36 is for an id nothing resembles.
    const near = unknown.map(id => [id, nearest(id, known)] as const).filter(([, n]) => n);
    const list = ids.flatMap(id => (unknown.includes(id) ? parts(id) : [id])).join(',');
    const far = unknown.filter(id => !near.some(([misspelt]) => misspelt === id));
    // Each misspelt id its nearest fault, and the list for those nothing resembles: both, when mixed.
    const meant = near.length
      ? `did you mean ${near.map(([id, n]) => (unknown.length > 1 ? `"${n}" for "${id}"` : `"${n}"`)).join(', ')}?`
      : undefined;
    const listed = far.length
      ? `${near.length ? `nothing is near ${far.map(id => `"${id}"`).join(', ')}: ` : ''}known faults: ` +
        `${known.join(', ') || '(none)'}; \`npx packgate stack faults\` lists them`
      : undefined;
    throw new PackgateError(
      'FAULT_UNKNOWN',
      `${givenAs} names unknown fault${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
      {
        hint: separated
          ? `separate faults with commas: ${givenAs === FAULTS_VAR ? `${givenAs}=${list}` : `${givenAs} ${list}`}`
          : [meant, listed].filter(Boolean).join(' '),
      },
    );
  }
  return [...new Set(ids)];
}

/**
 * Whether a stack of this kind can have the fault: every kind, unless the fault names its `kinds`
 * (a mistake only a stack in deployment shape can make). Its checks run there, and only there.
 */
export function faultPossibleIn(fault: Pick<Fault, 'kinds'>, kind: string): boolean {
  return !fault.kinds || (fault.kinds as readonly string[]).includes(kind);
}

/**
 * Stops a run (exit 2, before anything starts) that asks for a fault a stack it starts cannot have:
 * that stack would refuse to start, and the run end BLOCKED with exit 1, which reads as the fault
 * caught. Says which environments' stacks can have it, and the run that injects it there.
 *
 * @param environments the environments whose stacks the run starts (stackEnvironments)
 */
export function checkFaultsFitStacks(
  catalogue: Catalogue,
  faults: readonly string[],
  environments: readonly string[],
): void {
  for (const id of faults) {
    const fault = catalogue.faults.get(id)!.value;
    const misplaced = environments.filter(
      name => !faultPossibleIn(fault, catalogue.environments.get(name)!.value.kind),
    );
    if (!misplaced.length) continue;
    const kinds = (fault.kinds ?? []).join(' or ');
    const fits = [...catalogue.environments]
      .filter(([, { value: env }]) => env.stack && faultPossibleIn(fault, env.kind))
      .map(([name]) => name);
    const stacks = misplaced.map(name => `${name} (${catalogue.environments.get(name)!.value.kind})`).join(', ');
    throw new PackgateError(
      'FAULT_UNKNOWN',
      `${FAULTS_VAR} names ${id}, which only a stack of kind ${kinds} can have; this run starts the stack of ${stacks}, ` +
        'which cannot inject it',
      {
        hint: fits.length
          ? `run the projects of ${fits.join(' or ')} with it: ${FAULTS_VAR}=${id} npx playwright test --project='${fits[0]}-*'`
          : `no environment here has a stack of kind ${kinds} to inject it into`,
      },
    );
  }
}

/**
 * Stops a run (exit 2, before anything starts) that asks for faults and starts no stack to inject
 * them into (`--project=demo-remote`, `--project=local-unit`): it would test a healthy deployment,
 * pass, and read as a drill the gate failed. A stack started by hand (`PACKGATE_STACK=never`) is
 * not asked: the caller skips this check then.
 *
 * @param stacks the environments whose stacks the run starts (stackEnvironments)
 * @param projects the projects the run selects, named in the error
 */
export function checkFaultsHaveStack(
  faults: readonly string[],
  stacks: readonly string[],
  projects: readonly string[],
): void {
  if (!faults.length || stacks.length) return;
  const them = faults.length > 1 ? 'them' : 'it';
  throw new PackgateError(
    'FAULT_UNKNOWN',
    `${FAULTS_VAR} names ${faults.join(', ')}, but this run starts no stack to inject ${them} into ` +
      `(it runs ${projects.join(', ') || 'no project'}): it would test what is there without ${them}`,
    {
      hint:
        `run the projects of an environment with a stack: ${FAULTS_VAR}=${faults.join(',')} npx playwright test --project='local-*'; ` +
        `for a stack you started with ${them} (npx packgate stack start --faults ...), add PACKGATE_STACK=never`,
    },
  );
}

/** The run verdict a fault produces through the pack meant to catch it, per environment. */
export type ExpectedVerdict = {
  environment: string;
  /** Undefined where the pack does not run. */
  verdict?: 'BLOCKED' | 'PASS_WITH_WARNINGS';
  /** Whether the environment's own stack can inject the fault (embedded and parity environments). */
  injectable: boolean;
};

/**
 * What each environment's gate should say when this regression is present: BLOCKED where the pack
 * meant to catch it blocks, PASS_WITH_WARNINGS where it is advisory. Deployed environments cannot
 * have the fault injected, but the same verdict is what their gate owes when the regression ships.
 */
export function expectedVerdicts(catalogue: Catalogue, fault: Fault): ExpectedVerdict[] {
  const packs = [...catalogue.packs.values()].map(p => p.value);
  const byStage = [...catalogue.environments.values()]
    .map(e => e.value)
    .sort((a, b) => stages.indexOf(a.stage) - stages.indexOf(b.stage) || a.name.localeCompare(b.name));
  return byStage.map(env => {
    const possible = faultPossibleIn(fault, env.kind);
    const running = possible && packsOfEnvironment(env, packs).find(r => r.pack.id === fault.pack);
    return {
      environment: env.name,
      verdict: running ? (running.policy === 'blocking' ? 'BLOCKED' : 'PASS_WITH_WARNINGS') : undefined,
      injectable: env.stack !== undefined && possible,
    };
  });
}
