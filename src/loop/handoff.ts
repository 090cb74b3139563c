import { projectsOf } from '../packet/check-packet.ts';
import type { Handoff, ProvenItem, Result } from './handoff-schema.ts';
import { acceptanceText, type AcceptanceItem, type ContextPacket } from '../packet/packet-schema.ts';
import type { GateRun, TaskEvent } from '../store/queue-schema.ts';
import type { PackStatus } from '../schema/verdict.ts';
import type { BlobCheck } from '../store/blobs.ts';
import type { JudgedChange } from './drift.ts';

export type HandoffInput = {
  taskId: string;
  packet: ContextPacket;
  base: string;
  head: string | null;
  changes: readonly JudgedChange[];
  /** Gate runs recorded on the task, any order. */
  runs: readonly GateRun[];
  /** The task's `proof` and `drift` events. */
  events: readonly TaskEvent[];
  /** Verification of every digest the runs and proofs point at. */
  checks: ReadonlyMap<string, BlobCheck>;
  locate: (digest: string) => string;
  /** Risks the worker adds. */
  risks?: readonly string[];
};

/** The body of a `proof` event: which acceptance item, proven by which gate run or stored file. */
export type ProofBody = { item: number; run?: number; file?: string; digest?: string; size?: number; note?: string };

/**
 * Assembles the handoff and says what keeps it from being complete: an acceptance item without a
 * recorded proof, evidence that is missing or does not match its digest, a change outside the
 * packet. A pure function of what git and the store say, so what it refuses is testable alone.
 */
export function assembleHandoff(input: HandoffInput): Handoff {
  const { packet } = input;
  const runs = [...input.runs].sort((a, b) => a.id - b.id);
  const missing: string[] = [];

  const filesChanged = input.changes.map(c => ({
    path: c.path,
    status: c.status,
    rule: c.rule,
    why: c.why,
    ...(c.uncommitted ? { uncommitted: true as const } : {}),
  }));
  for (const change of input.changes.filter(c => c.rule !== 1))
    missing.push(`${change.path} is outside the packet (drift rule ${change.rule}: ${change.why})`);

  const commands = commandResults(packet, runs, input.events);
  const packs = runs.flatMap(run =>
    run.packs.map(p => ({
      run: run.id,
      pack: p.pack,
      result: packResult(p.status),
      status: p.status,
      reason: p.reason,
    })),
  );

  const proofs = proofsOf(input.events);
  const acceptance = provenAcceptance(input.taskId, packet.acceptance, input.events, runs).map(
    ({ item, text, proof, needs }) => {
      if (!proof.length) missing.push(`acceptance item ${item} "${text}" has no recorded proof: ${needs}`);
      return { item, text, proof: proof.length ? proof.join('; ') : null };
    },
  );

  const evidence = [
    ...runs.flatMap(run => run.evidence.map(e => ({ run: run.id, path: e.path, digest: e.digest, size: e.size }))),
    ...proofs
      .filter(p => p.digest)
      .map(p => ({ run: null, path: p.file ?? 'proof', digest: p.digest!, size: p.size ?? 0 })),
  ].map(e => {
    const check = input.checks.get(e.digest) ?? { status: 'missing' as const };
    const status = check.status === 'mismatch' ? ('tampered' as const) : check.status;
    if (status !== 'ok')
      missing.push(
        `evidence ${e.path}${e.run ? ` of gate run #${e.run}` : ''} (sha256 ${e.digest}) is ${
          status === 'tampered'
            ? 'changed since it was stored: it no longer matches its digest'
            : 'missing from the store'
        }`,
      );
    return { ...e, status, location: input.locate(e.digest) };
  });

  const residualRisks = [
    ...packet.known_risks,
    ...(input.risks ?? []),
    ...(input.changes.length ? [] : ['no file changed since the base commit']),
    ...commands.filter(c => c.result === 'skipped').map(c => `not run: ${c.command} (${c.detail})`),
    ...latestRuns(runs).flatMap(run => [
      ...run.problems.map(p => `gate run #${run.id}: ${p.severity}: ${p.message}`),
      ...run.packs
        .filter(p => p.status !== 'PASS')
        .map(p => `gate run #${run.id}: ${p.pack} ${p.status}${p.blocks ? '' : ' (did not block)'}: ${p.reason}`),
    ]),
  ];

  return {
    schemaVersion: 1,
    task: {
      id: input.taskId,
      goal: packet.goal,
      ownerLane: packet.owner_lane,
      trackId: packet.track_id,
      pack: packet.workflow_regression_pack,
    },
    base: input.base,
    head: input.head,
    filesChanged,
    commands,
    packs,
    acceptance,
    residualRisks: [...new Set(residualRisks)],
    evidence,
    missing,
  };
}

/**
 * Every gate run (oldest first) and drift check, then each packet command with no record: a
 * playwright line is matched to runs by its projects; anything else packgate cannot see run.
 */
function commandResults(
  packet: ContextPacket,
  runs: readonly GateRun[],
  events: readonly TaskEvent[],
): Handoff['commands'] {
  const results: Handoff['commands'] = runs.map(run => ({
    command: run.command,
    result: run.verdict === 'BLOCKED' ? 'fail' : 'pass',
    detail:
      `${run.verdict} in ${run.environment} at ${run.gitCommit ? run.gitCommit.slice(0, 12) : 'an unknown commit'}` +
      (run.gitDirty ? ' (uncommitted changes)' : ''),
    run: run.id,
    at: run.recordedAt,
  }));
  // The latest check of each drift command says where the work stands; earlier ones are history,
  // counted, not listed (a successor read every check the worker ever ran).
  const drifts = events.filter(e => e.kind === 'drift');
  const byCommand = new Map<string, TaskEvent[]>();
  for (const drift of drifts) {
    const command = String(drift.body.command ?? 'packgate drift');
    byCommand.set(command, [...(byCommand.get(command) ?? []), drift]);
  }
  for (const [command, checks] of byCommand) {
    const drift = checks.at(-1)!;
    results.push({
      command,
      result: drift.body.clean ? 'pass' : 'fail',
      detail:
        (drift.body.clean ? 'every change inside the packet' : 'changes outside the packet') +
        (checks.length > 1 ? ` (the latest of ${checks.length} checks)` : ''),
      run: null,
      at: drift.at,
    });
  }
  for (const command of packet.commands_to_run) {
    const projects = projectsOf(command);
    if (projects.length) {
      if (!runs.some(run => projects.every(p => run.projects.includes(p))))
        results.push({
          command,
          result: 'skipped',
          detail: 'no gate run of these projects recorded on the task',
          run: null,
          at: null,
        });
    } else if (/\bpackgate drift\b/.test(command)) {
      if (!drifts.length)
        results.push({
          command,
          result: 'skipped',
          detail: 'no drift check recorded on the task',
          run: null,
          at: null,
        });
    } else {
      results.push({
        command,
        result: 'skipped',
        detail: 'packgate does not record this command',
        run: null,
        at: null,
      });
    }
  }
  return results;
}

/** The newest run of each set of projects: older runs of the same command are history, not risk. */
function latestRuns(runs: readonly GateRun[]): GateRun[] {
  const latest = new Map<string, GateRun>();
  for (const run of runs) latest.set(`${run.environment}:${[...run.projects].sort().join(',')}`, run);
  return [...latest.values()];
}

function packResult(status: PackStatus): Result {
  if (status === 'PASS' || status === 'FLAKY') return 'pass';
  if (status === 'FAIL' || status === 'BLOCKED_BY_UPSTREAM') return 'fail';
  return 'skipped';
}

/** A gate run as a proof reads it: where it ran and how each of its packs came out. */
export type ProvingRun = Pick<GateRun, 'id' | 'environment'> & {
  packs: ReadonlyArray<Pick<GateRun['packs'][number], 'pack' | 'status' | 'missingTests'>>;
};

/** The bodies of the task's `proof` events (`packgate task prove`). */
function proofsOf(events: readonly TaskEvent[]): ProofBody[] {
  return events.filter(e => e.kind === 'proof').map(e => e.body as ProofBody);
}

/**
 * Each acceptance item with what proves it, from the task's `proof` events and its gate runs (any
 * order), and how to prove it: what the handoff lists, and the dashboard's task page shows.
 */
export function provenAcceptance(
  taskId: string,
  acceptance: readonly AcceptanceItem[],
  events: readonly TaskEvent[],
  runs: readonly ProvingRun[],
): ProvenItem[] {
  const proofs = proofsOf(events);
  const sorted = [...runs].sort((a, b) => a.id - b.id);
  return acceptance.map((item, i) => ({
    item: i + 1,
    text: acceptanceText(item),
    proof: proofOf(
      item,
      proofs.filter(p => p.item === i + 1),
      sorted,
    ),
    needs: typeof item === 'string' ? fileOrRunNeeded(taskId, i + 1) : packRunNeeded(item, sorted),
  }));
}

/**
 * What proves an acceptance item. A pack's item is proven by the pack's PASS alone: a file, or a run
 * the pack did not pass in, is no proof of it.
 */
function proofOf(item: AcceptanceItem, recorded: readonly ProofBody[], runs: readonly ProvingRun[]): string[] {
  if (typeof item === 'string') return recorded.map(describeProof);
  const passedIn = (run: ProvingRun, note?: string) =>
    `gate run #${run.id}: ${item.pack} PASS in ${run.environment}${note ? ` (${note})` : ''}`;
  const proving = recorded.flatMap(p => {
    const run = runs.find(r => r.id === p.run && provesPackItem(r, item));
    return run ? [passedIn(run, p.note)] : [];
  });
  // The latest run it passed in, unless a recorded proof named that run already (listed once).
  const passed = runs.filter(r => provesPackItem(r, item)).at(-1);
  if (passed && !recorded.some(p => p.run === passed.id)) proving.push(passedIn(passed));
  return proving;
}

function fileOrRunNeeded(taskId: string, item: number): string {
  return `record one with \`packgate task prove ${taskId} --item ${item} --run <gate run> | --file <file>\``;
}

/**
 * How to prove a pack's item; when the pack passed in a run of the task with some of its tests left
 * out (`--project=local-api` of a pack with a browser layer too), that run is named with them, since
 * "a run in which the pack passes" is what the person believes they recorded.
 */
function packRunNeeded(item: Exclude<AcceptanceItem, string>, runs: readonly ProvingRun[]): string {
  const where = item.environment ? ` in ${item.environment}` : '';
  const partial = runs
    .filter(r => !item.environment || r.environment === item.environment)
    .flatMap(run => {
      const pack = run.packs.find(p => p.pack === item.pack && p.status === 'PASS' && p.missingTests?.length);
      return pack ? [{ run, missing: pack.missingTests! }] : [];
    })
    .at(-1);
  return partial
    ? `gate run #${partial.run.id}: ${passedInPart(item.pack, partial.missing)}; ` +
        `record a gate run on the task in which ${item.pack} passes${where}, every test of it run (all its layers selected)`
    : `record a gate run on the task in which ${item.pack} passes${where}`;
}

/** A pack that passed with some of its tests not run, the first three named. */
export function passedInPart(pack: string, missing: readonly string[]): string {
  return (
    `${pack} passed in it with ${missing.length} of its tests not run ` +
    `(${missing.slice(0, 3).join('; ')}${missing.length > 3 ? '; ...' : ''})`
  );
}

/**
 * A gate run in which an acceptance item's pack passed, every test of it run, in the item's
 * environment when it names one. A pass of part of the pack (`--project=local-api` of a pack with a
 * browser layer too, a --grep) is no proof of the whole.
 */
export function provesPackItem(run: ProvingRun, item: Exclude<AcceptanceItem, string>): boolean {
  return (
    (!item.environment || run.environment === item.environment) &&
    run.packs.some(p => p.pack === item.pack && p.status === 'PASS' && !p.missingTests?.length)
  );
}

function describeProof(proof: ProofBody): string {
  const what = proof.run !== undefined ? `gate run #${proof.run}` : `file ${proof.file} (sha256 ${proof.digest})`;
  return proof.note ? `${what}: ${proof.note}` : what;
}
