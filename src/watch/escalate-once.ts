import type { Escalation, NewEscalation } from '../store/escalation-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import type { EscalationRule } from './watch-packet-schema.ts';

/** A watcher's escalation: raised now, or the same one still open from before (`already`). */
export type WatchEscalation = { escalation: Escalation; already: boolean };

/**
 * What a watcher's escalation is about, read from its details: a rule's class or status, or
 * changes outside the allowed fixes. Read from the record, so escalations from before count too.
 */
function concernOf(details: Escalation['details']): string | undefined {
  const rule = details?.rule as EscalationRule | undefined;
  if (rule?.when) return `class ${rule.when.class ?? '-'}, status ${rule.when.status ?? '-'}`;
  return details && 'outside' in details ? 'allowed fixes' : undefined;
}

/** The paths outside the allowed fixes an escalation names (none for a rule's). */
function outsideOf(details: Escalation['details']): string[] {
  const outside = details && 'outside' in details ? details.outside : undefined;
  return Array.isArray(outside) ? outside.filter((p): p is string => typeof p === 'string') : [];
}

/**
 * Whether an open escalation already says what this one would: the same concern, and for changes
 * outside the allowed fixes every path of this one (a path it does not name is news to the lane).
 */
function covers(open: Escalation['details'], raised: Escalation['details']): boolean {
  if (concernOf(open) !== concernOf(raised)) return false;
  const named = new Set(outsideOf(open));
  return outsideOf(raised).every(p => named.has(p));
}

/**
 * Escalates the task, unless a watcher escalated it to the same lane about the same thing (for
 * changes outside the allowed fixes: about every path changed now) and that is not answered yet:
 * the task has not moved since, other than into escalated (queue health's escalation-unanswered,
 * the same rule). A refused re-run or a rule firing again while nobody has answered would only
 * pile up copies for the lane to read; the open one is returned instead.
 */
export async function escalateOnce(
  store: QueueStore,
  input: NewEscalation & { source: 'watch' },
): Promise<WatchEscalation> {
  const transitions = await store.transitions(input.taskId);
  const open = (await store.escalations(input.taskId)).findLast(
    e =>
      e.source === 'watch' &&
      e.to === (input.to ?? null) &&
      covers(e.details, input.details ?? null) &&
      !transitions.some(t => t.at > e.createdAt && t.to !== 'escalated'),
  );
  if (open) return { escalation: open, already: true };
  return { escalation: (await store.escalate(input)).escalation, already: false };
}

/** How `watch run` and `watch close` print one: raised now, or already open since when. */
export function escalationLine(escalated: WatchEscalation): string {
  const e = escalated.escalation;
  return `${escalated.already ? alreadyEscalated(e) : `escalated to ${e.to ?? 'nobody'}`}: ${e.reason}`;
}

/** `already escalated to C-ops on <when> (escalation #3, not answered yet)`. */
export function alreadyEscalated(e: Escalation): string {
  return `already escalated to ${e.to ?? 'nobody'} on ${e.createdAt} (escalation #${e.id}, not answered yet)`;
}
