import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isMap, parseDocument, stringify } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { PackgateError, type PackgateErrorCode } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';
import { didYouMean } from '../diagnostics/nearest.ts';
import { at, YamlSource } from '../diagnostics/yaml-source.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { displayPath, unreadable } from '../fs/named-file.ts';
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

/**
 * A problem only the store or governance.yaml can see (an unknown lane, a split id taken), found
 * once the fields have parsed: `summary` as a person said it on the command line, `fields` each
 * field it is about, for a template to locate.
 */
export type FieldProblems = {
  code: PackgateErrorCode;
  summary: string;
  hint: string;
  fields: ReadonlyArray<{ path: readonly (string | number)[]; rule: string; message: string; hint: string }>;
};

/** Turns field problems into the error the user sees, as the input gave the fields. */
export type ReportProblems = (problems: FieldProblems) => PackgateError;

/** The flags a checkpoint needs (the rest default), each with what it says and how to give it. */
const REQUIRED_FLAG_EXAMPLES: Readonly<Record<string, string>> = {
  what_changed: 'what changed since the last checkpoint, e.g. --changed "the callback half is done"',
  drift_discovered: 'the drift discovered, e.g. --drift none',
  blocked_on: 'what it is blocked on, e.g. --blocked-on nothing',
  next_actions: 'a next action, e.g. --next "record a gate run" (up to 3)',
  decision: `one of ${checkpointDecisions.join(', ')}, e.g. --decision continue`,
};

/** Flags: the summary alone, which names the values given. */
export const reportFlagProblems: ReportProblems = ({ code, summary, hint }) =>
  new PackgateError(code, summary, { hint });

/** The fields from flags: every problem named by its flag (INPUT_INVALID), or the fields. */
export function fieldsFromFlags(taskId: string, flags: CheckpointFlags, prefill: Prefill): CheckpointFields {
  const result = checkpointFieldsSchema.safeParse(givenFields(flags, prefill, ''));
  if (result.success) return result.data;
  const given = flagFields(flags);
  throw new PackgateError(
    'INPUT_INVALID',
    `the checkpoint of ${taskId} is not complete; nothing recorded:\n` +
      result.error.issues.map(issue => flagIssue(issue, given)).join('\n'),
    {
      hint:
        'give --changed, --drift, --blocked-on, --next (up to 3) and --decision ' +
        `(${checkpointDecisions.join(' | ')}), or fill the template with --edit`,
    },
  );
}

/**
 * A problem as its flag names it. A flag not given at all is said to be required, with how to give
 * it: "is empty" is for a value given empty, which the user did not type.
 */
function flagIssue(issue: z.core.$ZodIssue, given: Record<string, unknown>): string {
  const field = String(issue.path[0] ?? '');
  const flag = FIELD_FLAGS[field] ?? field;
  const example = REQUIRED_FLAG_EXAMPLES[field];
  if (example && !(field in given)) return `  ${flag}: is required: ${example}`;
  const message =
    field === 'decision' && issue.code === 'invalid_value'
      ? `must be one of ${checkpointDecisions.join(', ')}${meant(given.decision)}`
      : issue.message;
  return `  ${flag}${issue.path.length > 1 ? ` #${Number(issue.path[1]) + 1}` : ''}: ${message}`;
}

/** `; did you mean "park"?` for a misspelt decision, else nothing. */
function meant(decision: unknown): string {
  const near = didYouMean(decision, checkpointDecisions);
  return near ? `; ${near}` : '';
}

/**
 * The fields from the editor: refused (INPUT_INVALID, nothing written) without $VISUAL or $EDITOR;
 * else writes the template (pre-filled with `prefill` and the flags given)
 * to `.packgate/checkpoints/<task>.yaml`, or reopens the one a failed attempt left there, opens
 * $VISUAL or $EDITOR on it, and reads it back. A problem is located (file:line field) and the file
 * kept for the next attempt; on success the caller removes it (`done`). Flags given now win over a
 * leftover's values (see reuseLeftover); `say` tells the user what happened to it.
 */
export function fieldsFromEditor(
  root: string,
  task: Task,
  flags: CheckpointFlags,
  prefill: Prefill,
  say: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): { fields: CheckpointFields; done: () => void; report: ReportProblems } {
  // Before any file is touched: a refusal leaves no half-written template (nor a leftover rewritten) behind.
  const editor = env.VISUAL || env.EDITOR;
  if (!editor)
    throw new PackgateError(
      'INPUT_INVALID',
      'checkpoint --edit needs an editor and neither VISUAL nor EDITOR is set; nothing was written or recorded',
      {
        hint:
          "set one and run it again (EDITOR=vi, or VISUAL='code --wait'), " +
          'or give the fields as flags (--changed, --drift, --blocked-on, --next, --decision)',
      },
    );
  const file = path.join(root, '.packgate', 'checkpoints', `${task.id}.yaml`);
  const shown = displayPath(root, file);
  if (fs.existsSync(file)) say(reuseLeftover(root, file, flags));
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, template(task, flags, prefill));
  }
  // The editor may be a command with arguments (`code --wait`): run it through the shell. What it
  // writes goes to stderr, the terminal's as stdout's: stdout is the command's result (--json).
  const opened = spawnSync(`${editor} ${JSON.stringify(file)}`, { shell: true, stdio: ['inherit', 2, 'inherit'], env });
  if (opened.status !== 0)
    throw new PackgateError(
      'INPUT_INVALID',
      `the editor (${editor}) exited ${opened.status ?? opened.signal}; nothing recorded`,
      {
        hint: `your edits are kept in ${shown}: run the command with --edit again`,
      },
    );
  const source = new YamlSource(shown, readTemplate(file, shown, editor));
  const syntax = source.syntaxDiagnostics().filter(d => d.severity === 'error');
  const { value, diagnostics } = syntax.length
    ? { value: undefined, diagnostics: syntax }
    : validateSource(source, checkpointFieldsSchema, "the template's header comment");
  const notRight = (code: PackgateErrorCode, diagnostics: Diagnostic[]) =>
    new PackgateError(
      code,
      `the checkpoint template is not right (${summarizeDiagnostics(diagnostics)}); nothing recorded`,
      {
        diagnostics,
        hint: `your edits are kept in ${shown}: run the command with --edit again to fix them`,
      },
    );
  if (!value) throw notRight('INPUT_INVALID', diagnostics);
  return {
    fields: value,
    done: () => fs.rmSync(file, { force: true }),
    // Located as the template's other errors are: file:line and field, each with its hint.
    report: ({ code, fields }) =>
      notRight(
        code,
        fields.map(f => at(source, f.path, f.rule, f.message, f.hint)),
      ),
  };
}

/** The template as the editor left it; one it removed (or left a folder in place of) is said so, not as Node's ENOENT. */
function readTemplate(file: string, shown: string, editor: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new PackgateError(
      'INPUT_INVALID',
      `the checkpoint template ${shown} cannot be read back after the editor (${editor}): ${unreadable(error)}; nothing recorded`,
      {
        hint: fs.existsSync(file)
          ? `remove ${shown}, then run the command with --edit again`
          : 'run the command with --edit again: a new template starts from the flags',
      },
    );
  }
}

/** The template: comments saying what each field is, the known values filled in. */
function template(task: Task, flags: CheckpointFlags, prefill: Prefill): string {
  const body = stringify(givenFields(flags, prefill, 'continue'), { lineWidth: 0 });
  return [
    `# Checkpoint of ${task.id} (${task.state}, lane ${task.ownerLane ?? '-'}): ${task.title}`,
    '# Fill in every field, save and close the editor. Nothing is recorded until it passes.',
    "# original_goal: the latest checkpoint's goal (the packet's at first); change it only if the goal moved (flagged).",
    '# next_actions: up to three. decision: continue | park | split | escalate.',
    `# escalate_to: the lane an escalation goes to (default ${task.ownerLane ?? 'none'}). split: tasks to make, "ID: goal".`,
    body,
  ].join('\n');
}

/**
 * A template kept from a failed attempt is reopened with the user's edits, but a flag given now
 * replaces its field: the command line typed last is what the user means. A leftover whose YAML
 * cannot be read cannot take them: it is moved aside (not lost) and a new template starts from
 * the flags. Returns what happened, for the user.
 */
function reuseLeftover(root: string, file: string, flags: CheckpointFlags): string {
  const shown = displayPath(root, file);
  // Read even when no flag goes into it: a leftover that cannot be read is said before the editor opens on it.
  const text = readLeftover(file, shown);
  const given = flagFields(flags);
  const names = Object.keys(given).map(field => FIELD_FLAGS[field]);
  if (!names.length) return `reopening ${shown}, kept from an earlier attempt that was not recorded`;
  const doc = parseDocument(text);
  if (doc.errors.length || !isMap(doc.contents)) {
    const aside = file.replace(/\.yaml$/, '.previous.yaml');
    fs.renameSync(file, aside);
    return (
      `${shown}, kept from an earlier attempt, is not readable YAML, so ${names.join(', ')} cannot go into it: ` +
      `it is moved to ${displayPath(root, aside)} and a new template starts from the flags given now`
    );
  }
  for (const [field, value] of Object.entries(given)) doc.set(field, value);
  fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
  return `reopening ${shown}, kept from an earlier attempt, with ${names.join(', ')} as given now`;
}

/**
 * The leftover's text. One that cannot be read (an editor that left a folder in the template's
 * place, a file made unreadable) is refused, not moved aside: a folder may hold what the user wants
 * kept, and only they can say. Nothing is recorded and the editor does not open.
 */
function readLeftover(file: string, shown: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const remove =
      (error as NodeJS.ErrnoException).code === 'EISDIR' ? `remove the folder (rm -r ${shown})` : `remove ${shown}`;
    throw new PackgateError(
      'INPUT_INVALID',
      `the checkpoint template ${shown}, kept from an earlier attempt, cannot be reopened: ${unreadable(error)}; nothing recorded`,
      { hint: `${remove}, then run the command with --edit again: a new template starts from the flags` },
    );
  }
}

/** The fields as the flags give them, the packet's goal and the task's track filled in where they are silent. */
function givenFields(flags: CheckpointFlags, prefill: Prefill, decision: string): Record<string, unknown> {
  return {
    original_goal: prefill.original_goal,
    current_track: prefill.current_track,
    what_changed: '',
    drift_discovered: '',
    blocked_on: '',
    next_actions: [],
    decision,
    escalate_to: null,
    split: [],
    ...flagFields(flags),
  };
}

/** Only the fields a flag was given for, by their template keys. */
function flagFields(flags: CheckpointFlags): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    original_goal: flags.originalGoal,
    current_track: flags.track,
    what_changed: flags.changed,
    drift_discovered: flags.drift,
    blocked_on: flags.blockedOn,
    next_actions: flags.next,
    decision: flags.decision,
    escalate_to: flags.to,
    split: flags.split,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
