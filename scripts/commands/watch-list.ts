import { PackgateError } from '../../src/diagnostics/errors.ts';
import { summarizeDiagnostics } from '../../src/diagnostics/format.ts';
import type { WatchCloseout } from '../../src/store/watch-closeout-schema.ts';
import { closeoutLines } from '../../src/watch/closeout-lines.ts';
import { escalationText } from '../../src/watch/build-watch-packet.ts';
import { describeTarget } from '../../src/watch/watch-packet-schema.ts';
import { durationText } from '../../src/schema/governance-values.ts';
import { readWatchPacket, watcherIds, watchPacketFile, WATCHERS_DIR } from '../../src/watch/watch-packet-source.ts';
import { emit, project, table, withStore, type CommonOptions } from './kit.ts';
import { escalationLines } from './task.ts';

/**
 * The watcher packets where `watch new` writes them, each with its last recorded run. A packet that
 * does not pass is listed as such (`watch show` says why), not left out: the listing is what there is.
 */
export async function watchList(options: CommonOptions): Promise<void> {
  const p = project();
  const read = watcherIds(p.root).map(id => {
    const file = `${WATCHERS_DIR}/${id}.yaml`;
    try {
      return { id, file, packet: readWatchPacket(p.root, file).packet };
    } catch (error) {
      if (!(error instanceof PackgateError)) throw error;
      return { id, file, error };
    }
  });
  const valid = read.flatMap(r => (r.packet ? [{ file: r.file, packet: r.packet }] : []));
  const watchers = valid.length
    ? await withStore(p, store =>
        Promise.all(
          valid.map(async w => ({
            ...w,
            lastRun: (await store.watchCloseouts({ taskId: w.packet.task_id, watcher: w.packet.id })).at(-1) ?? null,
          })),
        ),
      )
    : [];
  const invalid = read.flatMap(r =>
    r.error
      ? [{ file: r.file, error: { code: r.error.code, message: r.error.message, diagnostics: r.error.diagnostics } }]
      : [],
  );
  const rows = read.map(r => {
    const shown = watchers.find(w => w.file === r.file);
    if (!shown) return [r.id, '-', '-', '-', `${problemText(r.error!)}: packgate watch show ${r.id}`];
    return [
      shown.packet.id,
      shown.packet.task_id,
      shown.packet.lane,
      describeTarget(shown.packet.watch),
      shown.lastRun ? runStatus(shown.lastRun) : '-',
    ];
  });
  emit(
    options,
    { watchers, invalid },
    rows.length
      ? table(['WATCHER', 'TASK', 'LANE', 'WATCHES', 'LAST RUN'], rows)
      : `no watchers in ${WATCHERS_DIR} (write one with: packgate watch new)`,
  );
}

/** A watcher packet, by id or file, with the runs closed out and the escalations it raised. */
export async function watchShow(target: string, options: CommonOptions): Promise<void> {
  const p = project();
  const { packet, file } = readWatchPacket(p.root, watchPacketFile(p.root, target));
  const { closeouts, escalations } = await withStore(p, async store => ({
    closeouts: await store.watchCloseouts({ taskId: packet.task_id, watcher: packet.id }),
    escalations: (await store.escalations(packet.task_id)).filter(
      e => e.source === 'watch' && e.details?.watcher === packet.id,
    ),
  }));
  emit(options, { file, packet, closeouts, escalations }, [
    `${packet.id}  task ${packet.task_id}  lane ${packet.lane}`,
    `  file ${file}`,
    `  watches ${describeTarget(packet.watch)}, expected ${durationText(packet.expected_duration)}`,
    ...(packet.cwd ? [`  cwd ${packet.cwd}`] : []),
    ...(packet.allowed_fixes.length ? [`  allowed fixes: ${packet.allowed_fixes.join(', ')}`] : []),
    ...packet.failure.classes.map(c => `  failure class ${c.name}: ${c.patterns.join(' | ')}`),
    ...packet.escalation.map(r => `  escalation: ${escalationText(r)}`),
    ...(closeouts.length ? closeoutLines(closeouts) : ['no runs recorded']),
    ...(escalations.length ? ['escalations:', ...escalations.flatMap(escalationLines)] : []),
  ]);
}

/** Why a packet is not listed in full: how many problems it has, or why it cannot be read. */
function problemText(error: PackgateError): string {
  return error.diagnostics.length
    ? `packet does not pass (${summarizeDiagnostics(error.diagnostics)})`
    : error.message.split('\n')[0];
}

function runStatus(c: WatchCloseout): string {
  return `${c.status}${c.class ? ` (${c.class})` : ''} ${c.createdAt}`;
}
