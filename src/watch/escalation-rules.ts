import type { Escalation } from '../store/escalation-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import type { WatchCloseout } from '../store/watch-closeout-schema.ts';
import type { EscalationRule, WatchPacket } from './watch-packet-schema.ts';

/** A rule that fired, and the closeouts that fired it. */
export type FiredRule = { rule: EscalationRule; closeouts: number[] };

/**
 * The packet's rules that fire on the newest closeout, judged over the watcher's closeouts of the
 * task (oldest first). A rule fires when its `times`-th match is the newest closeout: counting the
 * run of matches that ends with it (`consecutive`), or all matches. So it fires once per streak,
 * not on every later failure. Pure.
 */
export function firedRules(rules: readonly EscalationRule[], closeouts: readonly WatchCloseout[]): FiredRule[] {
  const newest = closeouts.at(-1);
  if (!newest) return [];
  return rules.flatMap(rule => {
    if (!matches(rule, newest)) return [];
    const counted = rule.when.consecutive ? trailingRun(rule, closeouts) : closeouts.filter(c => matches(rule, c));
    return counted.length === rule.when.times ? [{ rule, closeouts: counted.map(c => c.id) }] : [];
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

/** Evaluates the packet's rules after a closeout and escalates the task for each that fires. */
export async function applyEscalationRules(
  store: QueueStore,
  packet: WatchPacket,
  actor: string,
  stopConditions: readonly string[],
): Promise<Escalation[]> {
  if (!packet.escalation.length) return [];
  const closeouts = await store.watchCloseouts({ taskId: packet.task_id, watcher: packet.id });
  const raised: Escalation[] = [];
  for (const fired of firedRules(packet.escalation, closeouts)) {
    const { escalation } = await store.escalate({
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
    });
    raised.push(escalation);
  }
  return raised;
}
