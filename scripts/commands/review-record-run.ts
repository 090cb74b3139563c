import { acceptRisk } from '../../src/review/accept-risk.ts';
import { readFixRecord } from '../../src/review/fix-record.ts';
import { recordFix } from '../../src/review/record-fix.ts';
import { recordedProof } from '../../src/review/recorded.ts';
import type { ReleaseHoldView } from '../../src/store/release-hold-schema.ts';
import { actorOf, emit, packetContext, plural, project, table, withStore, type CommonOptions } from './kit.ts';

/** Records a bugfix task's definition of done; exit 2 with every problem, nothing written, when it does not hold. */
export async function reviewRecord(
  options: CommonOptions & { task: string; file: string; commit?: string },
): Promise<void> {
  const p = project();
  const loaded = readFixRecord(p.root, options.file);
  const { outcome, proof } = await withStore(p, async store => {
    const outcome = await recordFix(
      store,
      { taskId: options.task, loaded, commit: options.commit, actor: actorOf(options) },
      { root: p.root, packsDir: p.manifest.packs_dir, packetContext: packetContext(p) },
    );
    // A record corrected in words only keeps the proof of the one before it: nothing to prove again.
    return { outcome, proof: await recordedProof(store, options.task) };
  });
  const { record, fixCommit, baseCommit } = outcome.body;
  const { regression } = record;
  emit(
    options,
    {
      task: outcome.task,
      event: outcome.event,
      fixCommit,
      baseCommit,
      owningLayer: record.owning_layer,
      regression: regression ?? null,
      coverageTask: outcome.coverage,
      recorded: outcome.recorded,
      uncommitted: outcome.uncommitted,
      standingProof: regression && proof ? proof.event : null,
    },
    [
      `bug-fix record of ${outcome.task.id} ${outcome.recorded ? 'recorded' : 'recorded already'} (event #${outcome.event}): ` +
        `fix ${fixCommit.slice(0, 12)}, base ${baseCommit.slice(0, 12)}, owning layer ${record.owning_layer}` +
        (outcome.recorded ? '' : '; the same record, not recorded again'),
      regression
        ? `  regression ${regression.pack} › ${regression.spec} › "${regression.title}": exists at the fix commit`
        : `  no regression: ${record.skipped_coverage}`,
      ...(outcome.coverage
        ? [
            `  coverage task ${outcome.coverage.id} ${outcome.coverage.created ? 'opened' : 'already open'}: ` +
              'it holds the release stages of its pack until its coverage or the risk is accepted',
          ]
        : []),
      ...(outcome.uncommitted.length
        ? [
            `  the task's worktree has changes not committed (${outcome.uncommitted.join(', ')}): the record and its ` +
              `proof are of commit ${fixCommit.slice(0, 12)}, without them; commit them and record again`,
          ]
        : []),
      ...(regression && fixCommit === baseCommit
        ? [
            "  the fix commit is the task's base: nothing is committed on top of it, so a proof in the repository " +
              'would run one commit twice; commit the fix and record again, or, for a fix made in a deployment, ' +
              `prove it with gate runs: packgate review prove --task ${outcome.task.id} --before-run <n> --after-run <m>`,
          ]
        : []),
      ...(regression && proof
        ? [
            `  regression proof #${proof.event} still shows what this record names (red at its base, green at its fix): it stands for it`,
            `next: nothing to prove again; hand the task off when its work is done: packgate handoff --task ${outcome.task.id}`,
          ]
        : [regression ? `next: packgate review prove --task ${outcome.task.id}` : `next: packgate review holds`]),
    ],
  );
}

/** The release holds, active ones unless --all. */
export async function reviewHolds(options: { json?: boolean; task?: string; all?: boolean }): Promise<void> {
  const p = project();
  const holds = await withStore(p, async store => {
    if (options.task) await store.requireTask(options.task);
    return store.releaseHolds({ taskId: options.task, activeOnly: !options.all });
  });
  const rows = holds.map(h => [
    h.taskId,
    h.task.kind,
    h.task.state,
    h.pack,
    h.since,
    h.task.ownerLane ?? '-',
    ...(options.all ? [standing(h)] : []),
    `${h.task.title}: ${h.reason}`,
  ]);
  emit(
    options,
    { holds },
    holds.length
      ? [
          ...table(
            ['TASK', 'KIND', 'STATE', 'PACK', 'SINCE', 'LANE', ...(options.all ? ['STANDING'] : []), 'TITLE: WHY'],
            rows,
          ),
          holdCount(holds),
        ]
      : options.all
        ? 'no release holds'
        : 'no active release holds',
  );
}

/** The footer: only holds that hold are counted as such (an expired risk holds again); cleared ones apart. */
function holdCount(holds: readonly ReleaseHoldView[]): string {
  const active = holds.filter(h => h.active).length;
  const cleared = holds.length - active;
  return `${active ? plural(active, 'active release hold') : 'no active release holds'}${cleared ? `, ${cleared} cleared` : ''}`;
}

/** Whether a hold holds, and how it was cleared: by whom, until when. */
function standing(hold: ReleaseHoldView): string {
  if (!hold.clearedAs) return 'holds';
  const by = `by ${hold.clearedBy} on ${hold.clearedAt?.slice(0, 10)}`;
  if (hold.clearedAs === 'coverage') return `coverage accepted ${by}`;
  return `${hold.active ? 'risk EXPIRED' : 'risk accepted'} ${by} until ${hold.riskExpiresAt?.slice(0, 10)}`;
}

/** A coordinator accepts the risk of a task's holds until a date. */
export async function reviewAcceptRisk(
  options: CommonOptions & { task: string; reason: string; expires: string },
): Promise<void> {
  const p = project();
  const governance = p.governance();
  const actor = actorOf(options);
  const cleared = await withStore(p, store =>
    acceptRisk(
      store,
      { taskId: options.task, reason: options.reason, expires: options.expires, actor },
      { review: governance?.value.review, governanceFile: p.governanceFile, now: new Date() },
    ),
  );
  const until = cleared[0]?.riskExpiresAt ?? options.expires;
  // The reason as stored, its credentials redacted: what the terminal (and a CI log) shows is no leak.
  const reason = cleared[0]?.clearReason ?? options.reason.trim();
  emit(options, { task: options.task, holds: cleared, expiresAt: until }, [
    `risk accepted by ${actor} for ${options.task} until ${until.slice(0, 10)} (00:00 UTC): ` +
      `${plural(cleared.length, 'release hold')} cleared (${cleared.map(h => h.pack).join(', ')})`,
    `  they hold again from ${until.slice(0, 10)}; reason: ${reason}`,
  ]);
}
