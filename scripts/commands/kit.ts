import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { findRoot, loadCatalogueOrThrow, type Catalogue, type Located } from '../../src/catalogue/load.ts';
import { DEFAULT_GOVERNANCE_FILE, loadGovernanceOrThrow } from '../../src/governance/load-governance.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { suggest } from '../../src/diagnostics/nearest.ts';
import { defaultActor } from '../../src/loop/record-gate-run.ts';
import type { Governance } from '../../src/governance/governance-schema.ts';
import type { PacketContext } from '../../src/packet/check-packet.ts';
import type { ProjectManifest } from '../../src/schema/project.ts';
import {
  loadManifest,
  openStore,
  readWorktreePointer,
  resolveStoreLocation,
  storeOptionsOf,
  type StoreLocation,
} from '../../src/store/open.ts';
import type { QueueStore, SessionInfo } from '../../src/store/queue-store.ts';
import { shownError, writeStack } from './shown-error.ts';
import { printJson } from './print-json.ts';
import { wholeNumber } from '../../src/text/whole-number.ts';

/**
 * The governance file as --help names it. Help is written before any project is read, so it says
 * how the file is found (as `project()` finds it) rather than one name that may not be the file.
 */
export const GOVERNANCE_FILE_HELP =
  "the governance file (the one packgate.yaml's `governance:` names, else " +
  `${DEFAULT_GOVERNANCE_FILE} at the project root)`;

/** Options every store command takes. */
export type CommonOptions = { json?: boolean; actor?: string };

/**
 * Runs a command body: a PackgateError becomes its message on stderr (or a JSON error on stdout
 * with --json) and its exit code: 2 for bad input, 1 for a check that said no (TASK_HELD). Bodies write nothing before their input is
 * validated, so exit 2 means nothing was written. Anything else thrown is shown as INTERNAL (see
 * shownError), its stack trace printed with PACKGATE_DEBUG=stack.
 */
export async function run(options: { json?: boolean }, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (thrown) {
    process.exitCode = reportError(thrown, !!options.json);
  }
}

/**
 * What was thrown, as the user sees it (shownError): a JSON error on stdout with --json, else its
 * message on stderr; its stack trace with PACKGATE_DEBUG=stack. Returns the exit code.
 */
export function reportError(thrown: unknown, json: boolean): number {
  const error = shownError(thrown);
  if (json)
    printJson({
      ok: false,
      error: {
        code: error.code,
        message: error.message.split('\n  hint: ')[0],
        hint: error.hint ?? null,
        diagnostics: error.diagnostics,
      },
    });
  else process.stderr.write(`packgate: ${error.message}\n`);
  writeStack(thrown);
  return error.exitCode;
}

export { printJson };

/**
 * The JSON with --json, else the lines for a person, and the command's exit code. `ok` is true
 * exactly when the command exits 0 (as for a refusal, which `run` prints with `ok: false`), so a
 * script can read `.ok` or the exit code alike: a check that said no (exit 1) is not ok.
 */
export function emit(
  options: { json?: boolean },
  json: Record<string, unknown>,
  human: string | string[],
  exitCode = 0,
): void {
  if (options.json) printJson({ ok: exitCode === 0, ...json });
  else process.stdout.write((Array.isArray(human) ? human.join('\n') : human).replace(/\n?$/, '\n'));
  if (exitCode) process.exitCode = exitCode;
}

export type Project = {
  root: string;
  manifest: ProjectManifest;
  /** Loaded on first use: commands that only read the store do not validate the catalogue. */
  catalogue(): Catalogue;
  governance(): Located<Governance> | undefined;
  governanceFile: string;
  storeLocation(): StoreLocation;
};

export function project(): Project {
  const root = findRoot(process.cwd());
  const manifest = loadManifest(root);
  let catalogue: Catalogue | undefined;
  let governance: { value: Located<Governance> | undefined } | undefined;
  return {
    root,
    manifest,
    catalogue: () => (catalogue ??= loadCatalogueOrThrow(root)),
    governance: () => (governance ??= { value: loadGovernanceOrThrow(root, manifest) }).value,
    governanceFile: manifest.governance ?? DEFAULT_GOVERNANCE_FILE,
    storeLocation: () => resolveStoreLocation(root, manifest),
  };
}

/** What a task's packet is checked against: today's catalogue and governance. */
export function packetContext(p: Project): Omit<PacketContext, 'taskId'> {
  return { catalogue: p.catalogue(), governance: p.governance(), governanceFile: p.governanceFile };
}

/** Opens the project's store for the body and closes it after, whatever happens. */
export async function withStore<T>(p: Project, body: (store: QueueStore) => Promise<T>): Promise<T> {
  const store = await openStore(p.storeLocation(), storeOptionsOf(p.manifest));
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

export function actorOf(options: CommonOptions): string {
  // A name, spaces aside: "carol " is carol, and a blank one is no name at all.
  return options.actor?.trim() || defaultActor();
}

/**
 * The worker session: --session, else PACKGATE_SESSION, else the session of the task worktree this
 * runs in; `generate` makes a new one (task start) when none is given.
 */
export function sessionOf(
  p: Project,
  options: CommonOptions & { session?: string },
  generate: boolean,
): SessionInfo | undefined {
  const id = options.session || process.env.PACKGATE_SESSION || readWorktreePointer(p.root)?.session;
  const actor = actorOf(options);
  if (id) return { id, actor, host: os.hostname(), pid: process.pid };
  if (!generate) return undefined;
  return {
    id: `${actor.split('@')[0]}-${randomBytes(3).toString('hex')}`,
    actor,
    host: os.hostname(),
    pid: process.pid,
  };
}

/** Splits a `;`-separated list (the requirements document's ACCEPTANCE="a;b"), dropping empty items. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(';')
    .map(s => s.trim())
    .filter(Boolean);
}

/** A count with its noun (every command says them alike). */
export { plural } from '../../src/text/plural.ts';

/** A table with a header row, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A gate run number as a person gives one: digits, or #digits as the CLI prints a run, from 1. */
export function gateRunNumber(value: string, flag: string): number {
  const run = wholeNumber(value.replace(/^#/, ''));
  if (run === undefined || run < 1)
    throw new PackgateError('INPUT_INVALID', `${flag} must be a gate run number, e.g. 3, not "${value}"`);
  return run;
}

/**
 * A filter's value checked against what it may name: an empty one (`--lane "$LANE"`, LANE unset) is
 * refused, where it filtered by nothing or by ""; one naming nothing known is a typo, refused with
 * the nearest name, where it read as a filter no task matches ("no tasks match", exit 0).
 */
function assertNamesKnown(filter: {
  flag: string;
  value: string | undefined;
  known: readonly string[];
  /** What the flag names, in the plural: `lanes`. */
  nouns: string;
  /** Why the empty value is refused: `name the owner lane whose tasks to list, or leave --lane out`. */
  empty: string;
  /** What is said when none is known: `none in governance.yaml`. */
  none: string;
  /** What an unknown value is: `no lane C-opz in governance.yaml, and no task has it`. */
  unknown: string;
  /** Said after the did-you-mean: where the names are listed. */
  listedBy?: string;
}): void {
  const { flag, value, known, nouns } = filter;
  if (value === undefined) return;
  if (!value.trim())
    throw new PackgateError('INPUT_INVALID', `${flag} is empty: ${filter.empty}`, {
      hint: `${nouns}: ${known.join(', ') || filter.none}`,
    });
  if (known.includes(value)) return;
  throw new PackgateError('INPUT_INVALID', `${flag} ${value}: ${filter.unknown}`, {
    hint: `${suggest(value, known, nouns)}${filter.listedBy ? ` (${filter.listedBy})` : ''}`,
  });
}

/** --lane: a lane of the governance file, or one a task has (see assertNamesKnown). */
export async function assertLaneKnown(p: Project, store: QueueStore, lane: string | undefined): Promise<void> {
  if (lane === undefined) return;
  const lanes = Object.keys(p.governance()?.value.lanes ?? {});
  // A lane of the governance file needs no look at the tasks (a backlog may hold thousands).
  if (lanes.includes(lane)) return;
  const taskLanes = (await store.listTasks()).flatMap(task => (task.ownerLane ? [task.ownerLane] : []));
  assertNamesKnown({
    flag: '--lane',
    value: lane,
    known: [...new Set([...lanes, ...taskLanes])],
    nouns: 'lanes',
    empty: 'name the owner lane whose tasks to list, or leave --lane out for every lane',
    none: `none in ${p.governanceFile}`,
    unknown: `no lane ${lane} in ${p.governanceFile}, and no task has it`,
  });
}

/** --track: a track some task has (a packet's track_id; there is no other kind). */
export async function assertTrackKnown(store: QueueStore, track: string | undefined): Promise<void> {
  if (track === undefined) return;
  // A task imported without a packet has no track.
  const tracks = [...new Set((await store.listTasks()).flatMap(task => (task.trackId ? [task.trackId] : [])))];
  assertNamesKnown({
    flag: '--track',
    value: track,
    known: tracks,
    nouns: 'tracks',
    empty: 'name the track whose tasks to list, or leave --track out',
    none: 'none: no task has one',
    unknown: `no task has track ${track}`,
  });
}

/** --held-by: a session the store knows. */
export async function assertSessionKnown(store: QueueStore, session: string | undefined): Promise<void> {
  if (session === undefined) return;
  assertNamesKnown({
    flag: '--held-by',
    value: session,
    known: (await store.sessions()).map(s => s.id),
    nouns: 'sessions',
    empty: 'name the session whose tasks to list, or leave it out',
    none: 'none yet: task start opens one',
    unknown: `there is no session ${session} in the queue store`,
    listedBy: 'packgate session list lists them',
  });
}
