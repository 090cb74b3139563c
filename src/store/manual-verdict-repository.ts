import { PackgateError } from '../diagnostics/errors.ts';
import type { BlobStore } from './blobs.ts';
import {
  manualVerdictSchema,
  newManualVerdictSchema,
  type ManualVerdict,
  type ManualVerdictFilter,
  type NewManualVerdict,
} from './manual-verdict-schema.ts';
import { byteOrder, storableJson } from './sql.ts';
import type { StoreContext } from './store-context.ts';

type ManualVerdictRow = {
  id: number;
  pack: string;
  environment: string;
  check_id: string;
  result: string;
  note: string | null;
  lane: string;
  source: string;
  evidence: string;
  recorded_at: string;
  expires_at: string;
  recorded_by: string;
};

/**
 * Manual verdicts: each recording is kept (who judged what, when, on which evidence); the gate
 * reads the latest per environment, pack and check, and judges its expiry itself.
 */
export class ManualVerdictRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly blobs: BlobStore,
  ) {}

  /** Records a verdict whose evidence is in the blobs already (EVIDENCE_INVALID otherwise); its note redacted. */
  async record(input: NewManualVerdict): Promise<ManualVerdict> {
    const verdict = newManualVerdictSchema.parse(input);
    for (const file of verdict.evidence)
      if (!(await this.blobs.has(file.digest)))
        throw new PackgateError(
          'EVIDENCE_INVALID',
          `evidence ${file.name} (${file.digest}) is not in the store's blobs`,
          {
            hint: 'put the file in the blobs (store.blobs.put) before recording the verdict that points at it',
          },
        );
    const { db, clock, redact } = this.context;
    const note = verdict.note === null ? null : redact(verdict.note);
    const at = clock.stamp();
    // From the store's own stamp, so a verdict's expiry is exactly valid_for after its recording.
    const expiresAt = new Date(Date.parse(at) + verdict.validForMs).toISOString();
    const row = await db.get<{ id: number }>(
      `INSERT INTO manual_verdicts (pack, environment, check_id, result, note, lane, source, evidence, recorded_at,
         expires_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        verdict.pack,
        verdict.environment,
        verdict.check,
        verdict.result,
        note,
        verdict.lane,
        verdict.source,
        storableJson(verdict.evidence),
        at,
        expiresAt,
        verdict.recordedBy,
      ],
    );
    const { validForMs: _, ...recorded } = verdict;
    return { ...recorded, note, id: Number(row!.id), recordedAt: at, expiresAt };
  }

  /** The latest verdict of each pack and check in the environment (the highest id: ties in time resolved). */
  async latest(filter: ManualVerdictFilter): Promise<ManualVerdict[]> {
    const { db } = this.context;
    const rows = await db.all<ManualVerdictRow>(
      `SELECT * FROM manual_verdicts m WHERE environment = ? AND id = (
         SELECT MAX(id) FROM manual_verdicts n
         WHERE n.environment = m.environment AND n.pack = m.pack AND n.check_id = m.check_id)
       ORDER BY ${byteOrder(db.dialect, 'pack')}, ${byteOrder(db.dialect, 'check_id')}`,
      [filter.environment],
    );
    const packs = filter.packs ? new Set(filter.packs) : undefined;
    return rows.filter(r => !packs || packs.has(r.pack)).map(fromRow);
  }
}

function fromRow(r: ManualVerdictRow): ManualVerdict {
  return manualVerdictSchema.parse({
    id: Number(r.id),
    pack: r.pack,
    environment: r.environment,
    check: r.check_id,
    result: r.result,
    note: r.note,
    lane: r.lane,
    source: r.source,
    evidence: JSON.parse(r.evidence),
    recordedAt: r.recorded_at,
    expiresAt: r.expires_at,
    recordedBy: r.recorded_by,
  });
}
