import { PackgateError } from '../diagnostics/errors.ts';
import { LOOKS_LIKE_CREDENTIAL, looksLikeCredential } from '../evidence/secret-fields.ts';
import { displayPath, readNamedFile } from '../fs/named-file.ts';
import { acceptanceText, type ContextPacket } from '../packet/packet-schema.ts';
import type { GateRun, TaskEvent } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { passedInPart, provesPackItem, type ProofBody } from './handoff.ts';

/** The packet's acceptance items as `task prove --item` numbers them, for a hint. */
export function acceptanceItemsHint(packet: ContextPacket): string {
  return `its items: ${packet.acceptance.map((a, i) => `${i + 1}. ${acceptanceText(a)}`).join('; ')}`;
}

/**
 * Records the proof of one acceptance item: a gate run recorded on the task, or a file stored by
 * digest (a text file that looks like it holds a secret is refused: evidence is never a leak). The
 * same proof given again (the same run, or the same file with the same content, and note) is the one
 * recorded already, returned with `recorded: false`: the handoff lists each proof once.
 */
export async function proveAcceptance(
  store: QueueStore,
  options: {
    root: string;
    taskId: string;
    packet: ContextPacket;
    item: number;
    run?: number;
    file?: string;
    note?: string;
    actor: string;
  },
): Promise<{ event: TaskEvent; recorded: boolean }> {
  const { packet, item, taskId } = options;
  if (!Number.isInteger(item) || item < 1 || item > packet.acceptance.length)
    throw new PackgateError('INPUT_INVALID', `task ${taskId} has no acceptance item ${options.item}`, {
      hint: acceptanceItemsHint(packet),
    });
  if ((options.run === undefined) === (options.file === undefined))
    throw new PackgateError('INPUT_INVALID', 'a proof is a gate run or a file: give exactly one of --run and --file');
  const wanted = packet.acceptance[item - 1];
  const packItem = typeof wanted === 'string' ? undefined : wanted;
  const where = packItem?.environment ? ` in ${packItem.environment}` : '';
  // What the packet says proves the item, read by handoff too: a file cannot stand in for the pack's run.
  if (packItem && options.file !== undefined)
    throw new PackgateError(
      'INPUT_INVALID',
      `acceptance item ${item} of task ${taskId} ("${packItem.text}") is proven by a gate run in which ${packItem.pack} passes${where}, not by a file`,
      { hint: `record that run on the task (TASK_ID=${taskId} npx playwright test ...): handoff finds it itself` },
    );
  const body: ProofBody = { item, ...(options.note ? { note: options.note } : {}) };
  if (options.run !== undefined) {
    const runs = await store.gateRuns({ taskId });
    const run = runs.find(r => r.id === options.run);
    if (!run) throw await notTheTasksRun(store, options.run, taskId, runs);
    if (packItem && !provesPackItem(run, packItem)) {
      const pack = run.packs.find(p => p.pack === packItem.pack);
      const missing = pack?.missingTests ?? [];
      const came =
        pack?.status === 'PASS' && missing.length
          ? passedInPart(packItem.pack, missing)
          : `${packItem.pack} is ${pack?.status ?? 'not run'} in it`;
      throw new PackgateError(
        'INPUT_INVALID',
        `gate run #${run.id} does not prove acceptance item ${item} of task ${taskId}: ` +
          `${came} (${run.environment}); the item needs its PASS${where}, every test of it run`,
        { hint: `record a gate run on the task in which ${packItem.pack} passes${where}, all its layers selected` },
      );
    }
    body.run = options.run;
  } else {
    const { full, content } = readNamedFile(options.root, options.file!, {
      code: 'INPUT_INVALID',
      hint: 'give the file that proves the item (a plan, notes, a report), or --run <n>: a gate run on the task',
    });
    const text = content.toString('utf8');
    if (!text.includes('\u0000') && looksLikeCredential(text))
      throw new PackgateError('INPUT_INVALID', `${options.file} ${LOOKS_LIKE_CREDENTIAL}`, {
        hint: 'redact it first; evidence is stored and shown to reviewers',
      });
    body.file = displayPath(options.root, full);
    // Stored again when the proof is recorded already: a blob is kept once, and one gone comes back.
    const stored = await store.blobs.put(content);
    body.digest = stored.digest;
    body.size = stored.size;
  }
  const same = (await store.events(taskId)).find(e => e.kind === 'proof' && sameProof(e.body as ProofBody, body));
  if (same) return { event: same, recorded: false };
  return { event: await store.addEvent(taskId, 'proof', body, options.actor), recorded: true };
}

/**
 * A run given as the task's (`task prove --run`, `review prove --before-run`) that is not one of its
 * runs, said as what it is: a run of another task, a release-gate run, or none in the store; with the
 * task's runs to choose from, or how to record one.
 */
export async function notTheTasksRun(
  store: QueueStore,
  id: number,
  taskId: string,
  runs: readonly GateRun[],
  /** The flag that gave it, where the command takes more than one. */
  flag?: string,
): Promise<PackgateError> {
  const [other] = await store.gateRuns({ id });
  const what = !other
    ? `there is no gate run #${id} in the queue store`
    : other.taskId
      ? `gate run #${id} is recorded on task ${other.taskId}, not on ${taskId}`
      : `gate run #${id} is a release-gate run (recorded on no task), not a run of task ${taskId}`;
  return new PackgateError(
    'INPUT_INVALID',
    `${flag ? `${flag} ${id}: ` : ''}${what}: a proof of ${taskId} is one of its own gate runs`,
    {
      hint: runs.length
        ? `its runs: ${runs.map(r => `#${r.id}`).join(', ')} (packgate task show ${taskId} lists them)`
        : `task ${taskId} has no gate run yet: run the gate for it (TASK_ID=${taskId} npx playwright test ...), ` +
          'then give --run the number it records',
    },
  );
}

function sameProof(a: ProofBody, b: ProofBody): boolean {
  return a.item === b.item && a.run === b.run && a.file === b.file && a.digest === b.digest && a.note === b.note;
}
