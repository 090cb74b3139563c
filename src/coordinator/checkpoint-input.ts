import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { z } from 'zod';
import { PackgateError } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';
import { YamlSource } from '../diagnostics/yaml-source.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { displayPath } from '../fs/named-file.ts';
import { checkpointDecisions } from '../store/checkpoint-schema.ts';
import type { Task } from '../store/queue-schema.ts';
import { checkpointFieldsSchema, FIELD_FLAGS, type CheckpointFields } from './checkpoint-fields.ts';

/** The checkpoint's fields as flags give them; absent ones take the pre-filled values. */
export type CheckpointFlags = {
  originalGoal?: string;
  track?: string;
  changed?: string;
  drift?: string;
  blockedOn?: string;
  next?: string[];
  decision?: string;
  to?: string;
  split?: string[];
};

/** What a checkpoint starts from: the packet's goal and the task's track. */
export type Prefill = { original_goal: string; current_track: string };

/** The fields from flags: every problem named by its flag (INPUT_INVALID), or the fields. */
export function fieldsFromFlags(taskId: string, flags: CheckpointFlags, prefill: Prefill): CheckpointFields {
  const result = checkpointFieldsSchema.safeParse(givenFields(flags, prefill, ''));
  if (result.success) return result.data;
  throw new PackgateError(
    'INPUT_INVALID',
    `the checkpoint of ${taskId} is not complete; nothing recorded:\n` +
      result.error.issues.map(flagProblem).join('\n'),
    {
      hint:
        'give --changed, --drift, --blocked-on, --next (up to 3) and --decision ' +
        `(${checkpointDecisions.join(' | ')}), or fill the template with --edit`,
    },
  );
}

function flagProblem(issue: z.core.$ZodIssue): string {
  const field = String(issue.path[0] ?? '');
  const flag = FIELD_FLAGS[field] ?? field;
  const message =
    field === 'decision' && issue.code === 'invalid_value'
      ? `must be one of ${checkpointDecisions.join(', ')}`
      : issue.message;
  return `  ${flag}${issue.path.length > 1 ? ` #${Number(issue.path[1]) + 1}` : ''}: ${message}`;
}

/**
 * The fields from the editor: writes the template (pre-filled with `prefill` and the flags given)
 * to `.packgate/checkpoints/<task>.yaml`, or reopens the one a failed attempt left there, opens
 * $VISUAL or $EDITOR on it, and reads it back. A problem is located (file:line field) and the file
 * kept for the next attempt; on success the caller removes it (`done`).
 */
export function fieldsFromEditor(
  root: string,
  task: Task,
  flags: CheckpointFlags,
  prefill: Prefill,
  env: NodeJS.ProcessEnv = process.env,
): { fields: CheckpointFields; done: () => void } {
  const file = path.join(root, '.packgate', 'checkpoints', `${task.id}.yaml`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, template(task, flags, prefill));
  }
  const shown = displayPath(root, file);
  const editor = env.VISUAL || env.EDITOR;
  if (!editor)
    throw new PackgateError('INPUT_INVALID', `no editor to open ${shown} with: set VISUAL or EDITOR`, {
      hint: 'or give the fields as flags (--changed, --drift, --blocked-on, --next, --decision)',
    });
  // The editor may be a command with arguments (`code --wait`): run it through the shell.
  const opened = spawnSync(`${editor} ${JSON.stringify(file)}`, { shell: true, stdio: 'inherit', env });
  if (opened.status !== 0)
    throw new PackgateError(
      'INPUT_INVALID',
      `the editor (${editor}) exited ${opened.status ?? opened.signal}; nothing recorded`,
      {
        hint: `your edits are kept in ${shown}: run the command with --edit again`,
      },
    );
  const source = new YamlSource(shown, fs.readFileSync(file, 'utf8'));
  const syntax = source.syntaxDiagnostics().filter(d => d.severity === 'error');
  const { value, diagnostics } = syntax.length
    ? { value: undefined, diagnostics: syntax }
    : validateSource(source, checkpointFieldsSchema, 'checkpoint');
  if (!value)
    throw new PackgateError(
      'INPUT_INVALID',
      `the checkpoint template is not right (${summarizeDiagnostics(diagnostics)}); nothing recorded`,
      {
        diagnostics,
        hint: `your edits are kept in ${shown}: run the command with --edit again to fix them`,
      },
    );
  return { fields: value, done: () => fs.rmSync(file, { force: true }) };
}

/** The template: comments saying what each field is, the known values filled in. */
function template(task: Task, flags: CheckpointFlags, prefill: Prefill): string {
  const body = stringify(givenFields(flags, prefill, 'continue'), { lineWidth: 0 });
  return [
    `# Checkpoint of ${task.id} (${task.state}, lane ${task.ownerLane ?? '-'}): ${task.title}`,
    '# Fill in every field, save and close the editor. Nothing is recorded until it passes.',
    "# original_goal: the packet's goal; change it only if the goal moved (a change is flagged).",
    '# next_actions: up to three. decision: continue | park | split | escalate.',
    `# escalate_to: the lane an escalation goes to (default ${task.ownerLane ?? 'none'}). split: tasks to make, "ID: goal".`,
    body,
  ].join('\n');
}

/** The fields as the flags give them, the packet's goal and the task's track filled in where they are silent. */
function givenFields(flags: CheckpointFlags, prefill: Prefill, decision: string): Record<string, unknown> {
  return {
    original_goal: flags.originalGoal ?? prefill.original_goal,
    current_track: flags.track ?? prefill.current_track,
    what_changed: flags.changed ?? '',
    drift_discovered: flags.drift ?? '',
    blocked_on: flags.blockedOn ?? '',
    next_actions: flags.next ?? [],
    decision: flags.decision ?? decision,
    escalate_to: flags.to ?? null,
    split: flags.split ?? [],
  };
}
