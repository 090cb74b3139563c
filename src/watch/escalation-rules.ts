import type { QueueStore } from '../store/queue-store.ts';
import type { WatchCloseout } from '../store/watch-closeout-schema.ts';
import { escalateOnce, type WatchEscalation } from './escalate-once.ts';
import type { EscalationRule, WatchPacket } from './watch-packet-schema.ts';

/** A rule that fired, and the closeouts that fired it. */
export type FiredRule = { rule: EscalationRule; closeouts: number[] };

/**
 * The packet's rules that fire on the newest closeout, judged over the watcher's closeouts of the
 * task (oldest first). A `consecutive` rule fires when the newest closeout is a `times`-th match of
 * the run of matches that ends with it: `x2` on the 2nd in a row, the 4th, 6th, ..., not on every
 * failure; and not once per streak only, or a streak going on after the lane answered (credentials
 * rotated, still 401) would never be heard of again. Any other rule (`any`) fires on every `times`-th
 * match in all: `x1 any` on every one, `x3 any` on the 3rd, 6th, ... While an escalation is not
 * answered, firing again raises nothing new (escalateOnce). Pure.
 */
export function firedRules(rules: readonly EscalationRule[], closeouts: readonly WatchCloseout[]): FiredRule[] {
  const newest = closeouts.at(-1);
  if (!newest) return [];
  return rules.flatMap(rule => {
    if (!matches(rule, newest)) return [];
    if (rule.when.consecutive) {
      const streak = trailingRun(rule, closeouts);
      return streak.length % rule.when.times === 0
        ? [{ rule, closeouts: streak.slice(-rule.when.times).map(c => c.id) }]
        : [];
    }
    const all = closeouts.filter(c => matches(rule, c));
    // The matches since it last fired: the last `times` of them.
    return all.length % rule.when.times === 0 ? [{ rule, closeouts: all.slice(-rule.when.times).map(c => c.id) }] : [];
  });
}

function matches(rule: EscalationRule, closeout: WatchCloseout): boolean {
  return (
    (rule.when.class === undefined || closeout.class === rule.when.class) &&
    (rule.when.status === undefined || closeout.status === rule.when.status)
  );
}

function trailingRun(rule: EscalationRule, closeouts: readonly WatchCloseout[]): WatchCloseout[] {
  const run: WatchCloseout[] = [];
  for (let i = closeouts.length - 1; i >= 0 && matches(rule, closeouts[i]); i--) run.unshift(closeouts[i]);
  return run;
}

/** What a rule's escalation says, in one line. */
export function ruleReason(watcher: string, { rule, closeouts }: FiredRule): string {
  const what = [rule.when.class && `class ${rule.when.class}`, rule.when.status && `status ${rule.when.status}`]
    .filter(Boolean)
    .join(', ');
  return (
    `watcher ${watcher}: ${what} ${closeouts.length} time${closeouts.length === 1 ? '' : 's'}` +
    `${rule.when.consecutive ? ' in a row' : ''}: ${rule.why}`
  );
}

/**
 * Evaluates the packet's rules after a closeout and escalates the task for each that fires, unless
 * the same escalation is still open (see escalateOnce).
 */
export async function applyEscalationRules(
  store: QueueStore,
  packet: WatchPacket,
  actor: string,
  stopConditions: readonly string[],
): Promise<WatchEscalation[]> {
  if (!packet.escalation.length) return [];
  const closeouts = await store.watchCloseouts({ taskId: packet.task_id, watcher: packet.id });
  const raised: WatchEscalation[] = [];
  for (const fired of firedRules(packet.escalation, closeouts)) {
    raised.push(
      await escalateOnce(store, {
        taskId: packet.task_id,
        source: 'watch',
        to: fired.rule.escalate_to,
        reason: ruleReason(packet.id, fired),
        details: { watcher: packet.id, rule: fired.rule, closeouts: fired.closeouts },
        paths: [],
        base: null,
        head: null,
        stopConditions: [...stopConditions],
        createdBy: actor,
      }),
    );
  }
  return raised;
}
