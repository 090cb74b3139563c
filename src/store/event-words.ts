import { plural } from '../text/plural.ts';
import type { Checkpoint } from './checkpoint-schema.ts';
import type { TaskEvent, TaskEventKind } from './queue-schema.ts';

type Body = Record<string, unknown>;

/** How one of a task's events reads: what it is (its kind, or `checkpoint #2`) and what happened. */
export type EventWords = { what: string; words: string };

/**
 * One of a task's events in words, said once for every place that shows it (`packgate task show`,
 * the dashboard's task page; `--json` and the dashboard's API keep every body as stored): for every
 * kind the store records (`taskEventKinds`), from the body the loop writes. A `checkpoint` event
 * points at its record by the store's id, which a person never sees: it is named by the task's own
 * count (`checkpoint #2`), as the checkpoint command and the checkpoints beside it name it. A body of
 * another shape (an imported backlog's, an older packgate's) or a kind this packgate does not know
 * is shown field by field (`files: none; note: ...`), never as raw JSON.
 */
export function eventWords(event: TaskEvent, checkpoints: readonly Checkpoint[]): EventWords {
  const checkpoint =
    event.kind === 'checkpoint' ? checkpoints.find(c => c.id === Number(event.body.checkpoint)) : undefined;
  if (checkpoint)
    return {
      what: `checkpoint #${checkpoint.number}`,
      words: `${checkpoint.decision}${checkpoint.goalChanged ? ' (GOAL CHANGED)' : ''}`,
    };
  const words = Object.hasOwn(WORDS, event.kind) ? WORDS[event.kind](event.body) : undefined;
  return { what: event.kind, words: words ?? fields(event.body) };
}

/**
 * Each kind's body in words, or undefined when the body lacks what its words need (then it is shown
 * field by field). A kind added to the store's schema has no line until it is given one here: tsc says so.
 */
const WORDS: Readonly<Record<TaskEventKind, (body: Body) => string | undefined>> = {
  claim: b => {
    const session = text(b.session);
    if (!session) return undefined;
    const branch = text(b.branch);
    if (!branch) return `session ${session}, no worktree`;
    return `session ${session}, branch ${branch}${text(b.base) ? ` from ${short(b.base)}` : ''}`;
  },
  release: b => text(b.session) && text(b.to) && `session ${b.session}'s hold ended, -> ${b.to}${reason(b.reason)}`,
  packet: b =>
    text(b.digest) &&
    `packet ${short(b.digest)}${text(b.previous) ? ` in place of ${short(b.previous)}` : ', its first'}`,
  drift: b => {
    const changes = Array.isArray(b.changes) ? (b.changes as Body[]) : undefined;
    if (typeof b.clean !== 'boolean' || !changes?.every(c => text(c.path) && typeof c.rule === 'number'))
      return undefined;
    const outside = changes.filter(c => c.rule !== 1);
    const span = text(b.base) ? ` (${short(b.base)}..${text(b.head) ? short(b.head) : 'the work tree'})` : '';
    if (!outside.length) return `clean: ${plural(changes.length, 'change')}, all inside the packet${span}`;
    return (
      `${outside.length} of ${plural(changes.length, 'change')} outside the packet${span}: ` +
      outside.map(c => `${c.path} (rule ${c.rule}${text(c.kind) ? `, ${c.kind}` : ''})`).join(', ')
    );
  },
  escalation: b => {
    if (typeof b.escalation !== 'number') return undefined;
    const files = Array.isArray(b.files) ? (b.files as Body[]) : [];
    const what = text(b.reason) ?? files.map(f => `${f.path} crossed ${f.boundary ?? 'its packet'}`).join(', ') ?? '';
    return `#${b.escalation} (${text(b.source) ?? 'drift'})${text(b.to) ? ` to ${b.to}` : ''}${what ? `: ${what}` : ''}`;
  },
  'follow-up': b => text(b.task) && text(b.path) && `proposed ${b.task} for the change to ${b.path}`,
  proof: b => {
    if (typeof b.item !== 'number') return undefined;
    const by =
      typeof b.run === 'number'
        ? `gate run #${b.run}`
        : text(b.file) && `${b.file}${text(b.digest) ? ` (sha256 ${short(b.digest)})` : ''}`;
    return by && `acceptance item ${b.item} proven by ${by}${text(b.note) ? `: ${b.note}` : ''}`;
  },
  handoff: b =>
    text(b.digest) &&
    `recorded (sha256 ${short(b.digest)})${text(b.base) && text(b.head) ? `, ${short(b.base)}..${short(b.head)}` : ''}`,
  note: b => {
    if (text(b.dependsOn)) return `now depends on ${b.dependsOn}`;
    if ('legacy' in b && Object.keys(b).length === 1)
      return text(b.legacy) ? `marked legacy debt: ${b.legacy}` : b.legacy === null ? 'marked new debt' : undefined;
    return text(b.note);
  },
  override: b => {
    if (!text(b.check)) return undefined;
    const open = Array.isArray(b.open) ? (b.open as Body[]).map(d => `${d.task} ${d.state}`) : [];
    const move = text(b.from) && text(b.to) ? ` (${b.from} -> ${b.to})` : '';
    return `"${b.check}" set aside${move}${open.length ? `, open: ${open.join(', ')}` : ''}${reason(b.reason)}`;
  },
  'fix-record': b => {
    if (!text(b.fixCommit) || !text(b.baseCommit)) return undefined;
    const regression = (b.record as Body | undefined)?.regression as Body | undefined;
    return (
      `fix ${short(b.fixCommit)} on base ${short(b.baseCommit)}` +
      (regression ? `; regression ${located(regression)}` : '; no regression') +
      (text(b.coverageTask) ? `; coverage task ${b.coverageTask}` : '')
    );
  },
  'regression-proof': b => {
    const regression = b.regression as Body | undefined;
    const before = text((b.before as Body | undefined)?.commit);
    const after = text((b.after as Body | undefined)?.commit);
    if (!regression || !before || !after) return undefined;
    return `${located(regression)} red at ${before.slice(0, 12)}, green at ${after.slice(0, 12)}${text(b.mode) ? ` (${b.mode})` : ''}`;
  },
  review: b => {
    const reviewer = b.reviewer as Body | undefined;
    if (!text(b.decision) || !text(reviewer?.actor)) return undefined;
    const whatFailed = text(((b.answers as Body | undefined)?.what_failed as Body | undefined)?.answer);
    return (
      `${String(b.decision).replace(/-/g, ' ')} by ${reviewer!.actor}${text(reviewer!.lane) ? ` for ${reviewer!.lane}` : ''}` +
      (b.decision !== 'accepted' && whatFailed ? `: ${whatFailed}` : '')
    );
  },
  'release-hold': b => {
    if (b.action === 'opened')
      return typeof b.hold === 'number' && text(b.pack)
        ? `#${b.hold} opened on ${b.pack}${reason(b.reason)}`
        : undefined;
    const holds = Array.isArray(b.holds) ? b.holds.map(h => `#${h}`).join(', ') : undefined;
    if (!holds) return undefined;
    if (b.action === 'coverage-accepted') return `coverage accepted, cleared ${holds}${reason(b.reason)}`;
    if (b.action === 'risk-accepted')
      return `risk accepted${text(b.expiresAt) ? ` until ${b.expiresAt}` : ''}, cleared ${holds}${reason(b.reason)}`;
    return undefined;
  },
  watch: b => {
    const run = text(b.run);
    if (!run) return undefined;
    if (b.phase === 'started')
      return `run ${run} started${text(b.packet) ? ` (watcher ${b.packet}${text(b.session) ? `, session ${b.session}` : ''})` : ''}`;
    if (b.phase === 'closed')
      return (
        `run ${run} closed out${typeof b.closeout === 'number' ? ` #${b.closeout}` : ''}` +
        `${text(b.status) ? `: ${b.status}` : ''}${text(b.class) ? ` (${b.class})` : ''}`
      );
    if (b.phase === 'failed') return `run ${run} failed before its closeout${reason(b.error)}`;
    return undefined;
  },
  // A checkpoint whose record is not in this store (an imported backlog's): its decision, as the event has it.
  checkpoint: b => text(b.decision) && `${b.decision} (no checkpoint record in this store)`,
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function short(value: unknown): string {
  return String(value).slice(0, 12);
}

function reason(value: unknown): string {
  return text(value) ? `: ${value}` : '';
}

/** A regression's location, as the review commands write it: `pack › spec › "title"`. */
function located(regression: Body): string {
  return `${regression.pack} › ${regression.spec} › "${regression.title}"`;
}

/** A body of no known shape, field by field: `name: value`, lists joined, anything deeper as JSON. */
function fields(body: Body): string {
  const shown = Object.entries(body).map(([key, value]) => {
    if (Array.isArray(value) && value.every(v => v === null || typeof v !== 'object'))
      return `${key}: ${value.length ? value.join(', ') : 'none'}`;
    return `${key}: ${value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
  });
  return shown.length ? shown.join('; ') : '(nothing recorded)';
}
