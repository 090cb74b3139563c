import { formatPath } from '../diagnostics/diagnostic.ts';
import { watchStatuses } from '../store/watch-closeout-schema.ts';
import { watchPacketSchema, type EscalationRule, type WatchPacket } from './watch-packet-schema.ts';
import { wholeNumber } from '../text/whole-number.ts';

/** What `watch new` is told, by flags or env vars; lists are already split. */
export type WatchInputs = {
  id?: string;
  taskId?: string;
  lane?: string;
  command?: string;
  jobId?: string;
  pollCommand?: string;
  expectedDuration?: string;
  cwd?: string;
  successExitCode?: string;
  successVerdicts: string[];
  /** `class=regex`, one pattern each. */
  failures: string[];
  allowedFixes: string[];
  /** `<class or status> [xN] [any] -> <lane>[: why]`. */
  escalations: string[];
};

/**
 * One problem with the inputs: the field (as the packet names it), what is wrong, the flag or env
 * var that gives it, and the rule that found it (as diagnostics name them: `missing-field`, `schema`).
 */
export type InputProblem = { field: string; message: string; hint?: string; rule: string };

const FLAGS: Record<string, string> = {
  id: '--id (WATCH_ID)',
  task_id: '--task-id (TASK_ID)',
  lane: '--lane (OWNER_LANE)',
  watch: '--command (WATCH_COMMAND), or --job-id (WATCH_JOB_ID) with --poll-command (WATCH_POLL_COMMAND)',
  expected_duration: '--expected-duration (WATCH_EXPECTED_DURATION), e.g. 90s or 15m',
};

/**
 * The watcher packet the inputs describe, or every problem with them: each missing field named
 * with the flag and env var that give it, each malformed one with why. Nothing is partly built.
 */
export function buildWatchPacket(inputs: WatchInputs): { packet?: WatchPacket; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const missing = (field: string) =>
    problems.push({ field, message: 'missing', hint: `give ${FLAGS[field]}`, rule: 'missing-field' });
  if (!inputs.id) missing('id');
  if (!inputs.taskId) missing('task_id');
  if (!inputs.lane) missing('lane');
  const job = inputs.jobId || inputs.pollCommand;
  if (!inputs.command && !(inputs.jobId && inputs.pollCommand)) missing('watch');
  if (inputs.command && job)
    problems.push({
      field: 'watch',
      rule: 'schema',
      message: 'a command and a job both given',
      hint: 'watch one: --command, or --job-id with --poll-command',
    });
  if (!inputs.expectedDuration) missing('expected_duration');

  const failureClasses = new Map<string, string[]>();
  for (const failure of inputs.failures) {
    const at = failure.indexOf('=');
    if (at < 1) {
      problems.push({
        field: 'failure.classes',
        rule: 'schema',
        message: `"${failure}" is not <class>=<regex>`,
        hint: 'e.g. --failure "auth=401 Unauthorized"',
      });
      continue;
    }
    failureClasses.set(failure.slice(0, at).trim(), [
      ...(failureClasses.get(failure.slice(0, at).trim()) ?? []),
      failure.slice(at + 1),
    ]);
  }
  const escalation = inputs.escalations.flatMap(text => {
    const rule = parseEscalation(text);
    if (!rule)
      problems.push({
        field: 'escalation',
        rule: 'schema',
        message: `"${text}" is not <class or status> [xN] [any] -> <lane>[: why]`,
        hint: 'e.g. --escalate "auth x2 -> C-ops: credentials rotated?"',
      });
    else if (rule.when.times < 1)
      problems.push({
        field: 'escalation',
        rule: 'schema',
        message: `"${text}": x${rule.when.times} would never fire: N is how many closeouts it takes, at least 1`,
        hint: 'x1 escalates every one, x2 (the default) two in a row; e.g. --escalate "auth x2 -> C-ops"',
      });
    return rule && rule.when.times >= 1 ? [rule] : [];
  });
  const exitCode = inputs.successExitCode === undefined ? undefined : wholeNumber(inputs.successExitCode);
  if (inputs.successExitCode !== undefined && exitCode === undefined)
    problems.push({
      field: 'success.exit_code',
      rule: 'schema',
      message: `"${inputs.successExitCode}" is not a whole number: the exit code of a successful run, 0 to 255`,
      hint: 'e.g. --success-exit-code 0 (WATCH_SUCCESS_EXIT_CODE), or leave it out for 0',
    });
  const duration =
    inputs.expectedDuration && /^\d+(\.\d+)?$/.test(inputs.expectedDuration)
      ? Number(inputs.expectedDuration)
      : inputs.expectedDuration;
  const raw = {
    schema_version: 1,
    id: inputs.id,
    task_id: inputs.taskId,
    lane: inputs.lane,
    watch: inputs.command ? { command: inputs.command } : { job_id: inputs.jobId, poll_command: inputs.pollCommand },
    expected_duration: duration,
    ...(inputs.cwd ? { cwd: inputs.cwd } : {}),
    success: {
      ...(exitCode !== undefined ? { exit_code: exitCode } : {}),
      ...(inputs.successVerdicts.length ? { verdicts: inputs.successVerdicts } : {}),
    },
    failure: { classes: [...failureClasses].map(([name, patterns]) => ({ name, patterns })) },
    allowed_fixes: inputs.allowedFixes,
    escalation,
  };
  const parsed = watchPacketSchema.safeParse(raw);
  if (!parsed.success) {
    const named = new Set(problems.map(p => p.field));
    for (const issue of parsed.error.issues) {
      const field = formatPath(issue.path);
      // A missing field is named once, above; a malformed one says why.
      if ([...named].some(n => field === n || field.startsWith(`${n}.`) || field.startsWith(`${n}[`))) continue;
      problems.push({ field, message: issue.message, rule: 'schema' });
    }
  }
  return problems.length || !parsed.success ? { problems } : { packet: parsed.data, problems };
}

/** `auth x2 -> C-ops: why` (x2: times, default 2; `any`: not necessarily in a row). */
export function parseEscalation(text: string):
  | {
      when: { class?: string; status?: string; times: number; consecutive: boolean };
      escalate_to: string;
      why: string;
    }
  | undefined {
  const m = /^\s*([a-z][a-z0-9-]*)(?:\s+x(\d+))?(\s+any)?\s*->\s*([A-Za-z0-9][A-Za-z0-9_-]*)\s*(?::\s*(.+))?$/.exec(
    text,
  );
  if (!m) return undefined;
  const [, what, times, any, lane, why] = m;
  const isStatus = (watchStatuses as readonly string[]).includes(what);
  const count = times ? Number(times) : 2;
  return {
    when: { ...(isStatus ? { status: what } : { class: what }), times: count, consecutive: !any },
    escalate_to: lane,
    why: why?.trim() || `${what} ${count} times${any ? '' : ' in a row'}`,
  };
}

/** A rule as `--escalate` writes it, the reverse of parseEscalation: `auth x2 -> C-ops: why`. */
export function escalationText(rule: EscalationRule): string {
  const what = [rule.when.class, rule.when.status].filter(Boolean).join(' ');
  return `${what} x${rule.when.times}${rule.when.consecutive ? '' : ' any'} -> ${rule.escalate_to}: ${rule.why}`;
}
