import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { nearest } from '../../src/diagnostics/nearest.ts';
import { at, type YamlSource } from '../../src/diagnostics/yaml-source.ts';
import { createRedactor } from '../../src/evidence/redact.ts';
import { interruption } from './interruption.ts';
import { secretEnvValues } from '../../src/evidence/secret-env.ts';
import { LOOKS_LIKE_CREDENTIAL, looksLikeCredential } from '../../src/evidence/secret-fields.ts';
import { displayPath, readNamedFile } from '../../src/fs/named-file.ts';
import { writeFileAtomic } from '../../src/fs/write-file-atomic.ts';
import { durationText } from '../../src/schema/governance-values.ts';
import { watchConfigSchema, type WatchConfig } from '../../src/governance/governance-schema.ts';
import { OUTPUT_DIR_VAR } from '../../src/schema/constants.ts';
import type { QueueStore } from '../../src/store/queue-store.ts';
import { watchStatusSchema, watchStatuses } from '../../src/store/watch-closeout-schema.ts';
import { buildWatchPacket, parseEscalation, type WatchInputs } from '../../src/watch/build-watch-packet.ts';
import { matchClasses } from '../../src/watch/classify.ts';
import { applyEscalationRules } from '../../src/watch/escalation-rules.ts';
import { alreadyEscalated, escalationLine, type WatchEscalation } from '../../src/watch/escalate-once.ts';
import { runWatch, type WatchRunResult } from '../../src/watch/run-watch.ts';
import { closeoutLines } from '../../src/watch/closeout-lines.ts';
import { classHint, knownClasses, referenceProblems, type PacketProject } from '../../src/watch/packet-references.ts';
import {
  idFileProblems,
  readWatchPacket,
  renderWatchPacket,
  watchPacketFile,
  WATCH_PACKET_SCHEMA_FILE,
  WATCHERS_DIR,
  isPacketPath,
  packetOfWatcher,
  watcherIds,
} from '../../src/watch/watch-packet-source.ts';
import { describeTarget, type WatchPacket } from '../../src/watch/watch-packet-schema.ts';
import { oneOf } from '../../src/diagnostics/nearest.ts';
import { wholeNumber } from '../../src/text/whole-number.ts';
import { actorOf, emit, project, sessionOf, splitList, withStore, type CommonOptions, type Project } from './kit.ts';

/** `watch new` flags; each falls back to an env var (WATCH_ID, TASK_ID, OWNER_LANE, WATCH_COMMAND, ...). */
export type WatchNewOptions = CommonOptions &
  Omit<WatchInputs, 'successVerdicts' | 'failures' | 'allowedFixes' | 'escalations'> & {
    /** The lists as flags give them: `;`-separated, or repeated. */
    successVerdicts?: string;
    failure?: string[];
    allowedFixes?: string;
    escalate?: string[];
    out?: string;
    /** Replace a packet that exists at the file it writes to. */
    force?: boolean;
  };

/**
 * Writes a watcher packet from flags or env vars. Refused with every problem named (each missing
 * field with its flag and env var, an unknown lane or task with a hint), exit 2, nothing written;
 * and when a file is there already, unless --force.
 */
export async function watchNew(options: WatchNewOptions): Promise<void> {
  const p = project();
  const env = process.env;
  const escalations = options.escalate ?? splitList(env.WATCH_ESCALATE);
  const inputs: WatchInputs = {
    id: options.id ?? env.WATCH_ID,
    taskId: options.taskId ?? env.TASK_ID,
    lane: options.lane ?? env.OWNER_LANE,
    command: options.command ?? env.WATCH_COMMAND,
    jobId: options.jobId ?? env.WATCH_JOB_ID,
    pollCommand: options.pollCommand ?? env.WATCH_POLL_COMMAND,
    expectedDuration: options.expectedDuration ?? env.WATCH_EXPECTED_DURATION,
    cwd: options.cwd ?? env.WATCH_CWD,
    successExitCode: options.successExitCode ?? env.WATCH_SUCCESS_EXIT_CODE,
    successVerdicts: splitList((options.successVerdicts ?? env.WATCH_SUCCESS_VERDICTS)?.replace(/,/g, ';')),
    failures: options.failure ?? splitList(env.WATCH_FAILURE),
    allowedFixes: splitList(options.allowedFixes ?? env.WATCH_ALLOWED_FIXES),
    escalations,
  };
  const { packet, problems } = buildWatchPacket(inputs);
  // What the inputs name that the project lacks, also when the packet cannot be built: every problem at once.
  const references = referenceProblems(
    {
      lane: inputs.lane,
      cwd: inputs.cwd,
      // Only once the schema took it: a malformed duration is named as such above.
      expected_duration: packet?.expected_duration,
      classes: inputs.failures.map(f => f.slice(0, f.indexOf('=')).trim()).filter(Boolean),
      escalation: escalations.flatMap(e => parseEscalation(e) ?? []),
    },
    packetProject(p),
  );
  for (const q of references)
    problems.push({ field: String(q.path[0]), message: q.message, hint: q.hint, rule: 'watch-reference' });
  // The packet is committed and handed to whoever runs it: a credential in the command must come from the environment.
  for (const [field, value] of [
    ['watch.command', inputs.command],
    ['watch.poll_command', inputs.pollCommand],
    ['watch.job_id', inputs.jobId],
  ] as const)
    if (value && looksLikeCredential(value))
      problems.push({
        field,
        rule: 'secret-in-packet',
        message: LOOKS_LIKE_CREDENTIAL,
        hint: 'read it from an env var in the command instead ($DEPLOY_TOKEN); watcher packets are committed and shared',
      });
  const taskId = options.taskId ?? env.TASK_ID;
  if (taskId && !problems.some(q => q.field === 'task_id')) {
    const hint = await withStore(p, async store =>
      (await store.getTask(taskId)) ? undefined : unknownTaskHint(store, taskId),
    );
    if (hint) problems.push({ field: 'task_id', rule: 'watch-reference', message: `unknown task "${taskId}"`, hint });
  }
  const validId = inputs.id && !problems.some(q => q.field === 'id');
  const out = path.resolve(
    p.root,
    options.out ?? env.WATCH_PACKET_FILE ?? `${WATCHERS_DIR}/${validId ? inputs.id : 'watcher'}.yaml`,
  );
  const file = displayPath(p.root, out);
  // Written into .packgate/watchers/ under another name, it would be run and listed as one watcher and closed out as another.
  for (const q of validId ? idFileProblems(p.root, out, inputs.id!) : [])
    problems.push({
      field: 'id',
      rule: 'watch-id',
      message: q.message,
      hint: `leave --out out (it writes ${WATCHERS_DIR}/${inputs.id}.yaml), or give --id ${path.basename(out, '.yaml')}`,
    });
  if (!packet || problems.length)
    throw new PackgateError('WATCH_PACKET_INVALID', 'watch new cannot write a complete watcher packet', {
      // In the packet it was to write, as a whole (line 1): the inputs were flags, not lines of a file.
      diagnostics: problems.map(q => ({
        severity: 'error',
        rule: q.rule,
        file,
        line: 1,
        col: 1,
        path: q.field,
        message: q.message,
        hint: q.hint,
      })),
      inputs: true,
      // "What is missing" only when something is: an unknown lane or a malformed duration is to be fixed, not given.
      hint: `${
        problems.every(q => q.rule === 'missing-field')
          ? 'give what is missing'
          : problems.some(q => q.rule === 'missing-field')
            ? 'give what is missing and fix what is wrong'
            : 'fix what is wrong'
      } by flag or env var (see packgate watch new --help); nothing was written`,
    });
  // A packet may be edited by hand since: a second `watch new` with the same id must not drop that silently.
  const replaced = fs.existsSync(out);
  if (replaced && !options.force)
    throw new PackgateError('INPUT_INVALID', `watcher packet ${file} exists already`, {
      hint: 'pass --force to replace it, or choose another --id or --out; nothing was written',
    });
  const schemaPath = path
    .relative(path.dirname(out), path.join(p.root, WATCH_PACKET_SCHEMA_FILE))
    .split(path.sep)
    .join('/');
  writeFileAtomic(out, renderWatchPacket(packet, schemaPath));
  emit(options, { file, packet, replaced }, [
    `watcher packet ${replaced ? 'replaced' : 'written'}: ${file}`,
    `  watches ${describeTarget(packet.watch)} ` +
      `for task ${packet.task_id} (lane ${packet.lane}), expected ${durationText(packet.expected_duration)}`,
    `next: packgate watch run ${file}`,
  ]);
}

/**
 * Runs a watcher packet, given by its file or its watcher id: the command supervised, classified
 * and closed out in the store. Exit 0 on success, 1 otherwise (and when the task's diff left the
 * allowed fixes: escalated, not run); interrupted: 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP),
 * after the closeout is written.
 */
export async function watchRun(target: string, options: CommonOptions & { session?: string }): Promise<void> {
  const p = project();
  // Checked whole before anything is recorded: a packet edited by hand gets what watch new would refuse.
  const { packet, source } = readWatchPacket(p.root, watchPacketFile(p.root, target), packetProject(p));
  // A session given (--session, PACKGATE_SESSION, the worktree's) is the caller's; one made here ends with the run.
  const given = sessionOf(p, options, false);
  const interrupt = interruption();
  try {
    const result = await withStore(p, async store => {
      await requirePacketTask(store, packet, source);
      return runWatch({
        root: p.root,
        store,
        packet,
        config: watchConfig(p),
        session: given ?? sessionOf(p, options, true)!,
        endSession: !given,
        actor: actorOf(options),
        outputDir: process.env[OUTPUT_DIR_VAR] ?? p.manifest.output_dir,
        env: process.env,
        interrupt: interrupt.signal,
        // With --json, stdout is the JSON: the watched output goes to stderr.
        stdout: options.json ? process.stderr : process.stdout,
      });
    });
    reportRun(options, packet, result);
    process.exitCode = interrupt.exitCode() ?? process.exitCode;
  } finally {
    interrupt.dispose();
  }
}

/** Prints a watched run's closeout, or its refusal, and sets the exit code (0 only on success). */
export function reportRun(options: CommonOptions, packet: WatchPacket, result: WatchRunResult): void {
  if (!result.ran) {
    const [{ escalation, already }] = result.escalations;
    throw new PackgateError(
      'WATCH_REFUSED',
      `watcher ${packet.id} did not run: task ${packet.task_id} changed ${result.refused.outside.join(', ')}, ` +
        `outside its allowed fixes (${packet.allowed_fixes.join(', ') || 'none'}); the task is ` +
        (already ? alreadyEscalated(escalation) : 'escalated'),
      { hint: `see packgate task show ${packet.task_id}; revert those changes or widen allowed_fixes in the packet` },
    );
  }
  const { closeout, classification, escalations, refused } = result;
  emit(
    options,
    {
      run: result.run,
      closeout,
      why: classification.why,
      ...escalationsJson(escalations),
      outsideAllowedFixes: refused?.outside ?? [],
    },
    [
      `watch ${packet.id} closed out: ${closeout.status}${closeout.class ? ` (${closeout.class})` : ''}: ${classification.why}`,
      ...closeoutLines([closeout]).slice(1),
      ...(refused
        ? [`task ${packet.task_id} changed ${refused.outside.join(', ')}, outside the allowed fixes: escalated`]
        : []),
      ...escalations.map(escalationLine),
    ],
    closeout.status !== 'success' || refused ? 1 : 0,
  );
}

export type WatchCloseOptions = CommonOptions & {
  status: string;
  class?: string;
  evidence: string;
  exitCode?: string;
  session?: string;
};

/**
 * Closes out a job watched by hand: the same record as `watch run` writes, its evidence file
 * stored redacted by digest, the failure patterns applied to it for the matching lines. The target
 * is a watcher packet, by its file or its id (its classes and escalation rules apply), or a task id.
 */
export async function watchClose(target: string, options: WatchCloseOptions): Promise<void> {
  const p = project();
  const status = watchStatusSchema.safeParse(options.status);
  if (!status.success)
    throw new PackgateError('INPUT_INVALID', `--status "${options.status}" is not a status`, {
      hint: oneOf(options.status, watchStatuses),
    });
  // As written: '' is no exit code 0 (a success's).
  const exitCode = options.exitCode === undefined ? null : (wholeNumber(options.exitCode) ?? NaN);
  if (exitCode !== null && !Number.isInteger(exitCode))
    throw new PackgateError('INPUT_INVALID', `--exit-code "${options.exitCode}" is not an integer`);
  const packetFile = closeTargetPacket(p.root, target);
  const read = packetFile ? readWatchPacket(p.root, packetFile, packetProject(p)) : undefined;
  const packet = read?.packet;
  const taskId = packet?.task_id ?? target;
  const { content } = readNamedFile(p.root, options.evidence, {
    code: 'INPUT_INVALID',
    what: 'evidence',
    hint: 'give the log or report of the job watched by hand',
  });
  const config = watchConfig(p);
  closeInputProblem(status.data, options.class, exitCode, packet, config, p.governanceFile);
  const log = createRedactor(secretEnvValues(process.env))(content.toString('utf8'));
  // A class given is what the person knows the cause was: its lines are kept, though another class matches first.
  const classes = [...(packet?.failure.classes ?? []), ...config.classes].filter(
    c => options.class === undefined || c.name === options.class,
  );
  const matched = status.data === 'success' ? undefined : matchClasses(log, classes);
  const actor = actorOf(options);
  const session = sessionOf(p, options, false);
  const { closeout, escalations } = await withStore(p, async store => {
    if (read) await requirePacketTask(store, read.packet, read.source);
    else if (!(await store.getTask(taskId))) throw await noCloseTarget(store, p.root, taskId);
    const { digest } = await store.blobs.put(Buffer.from(log));
    const closeout = await store.closeWatch({
      taskId,
      run: `hand-${randomBytes(4).toString('hex')}`,
      watcher: packet?.id ?? 'hand',
      session: session?.id ?? null,
      source: 'hand',
      status: status.data,
      class: options.class ?? (matched?.class || null),
      lines: matched?.lines ?? [],
      exitCode,
      signal: null,
      durationMs: null,
      command: null,
      logDigest: digest,
      logPath: logPath(p.root, store.blobs.locate(digest)),
      verdictDigest: null,
      verdict: null,
      blockingPacks: [],
      startedAt: null,
      createdBy: actor,
    });
    const escalations = packet ? await applyEscalationRules(store, packet, actor, []) : [];
    return { closeout, escalations };
  });
  emit(options, { closeout, ...escalationsJson(escalations) }, [
    `task ${taskId}: run ${closeout.run} closed out by hand: ${closeout.status}${closeout.class ? ` (${closeout.class})` : ''}`,
    ...closeoutLines([closeout]).slice(1),
    ...escalations.map(escalationLine),
  ]);
}

/**
 * The packet `watch close` is given, as `watch run` takes it: a file, or a watcher's id whose packet
 * is in .packgate/watchers/; anything else is a task id (undefined).
 */
function closeTargetPacket(root: string, target: string): string | undefined {
  return isPacketPath(root, target) ? target : packetOfWatcher(root, target);
}

/**
 * Refuses a hand closeout that contradicts itself or names a class no rule or report knows: a
 * success has no failure class and exits with the success exit code; a class is the packet's,
 * governance.yaml's or the gate's (a made-up one is never matched by an escalation rule).
 */
function closeInputProblem(
  status: string,
  cls: string | undefined,
  exitCode: number | null,
  packet: WatchPacket | undefined,
  config: WatchConfig,
  governanceFile: string,
): void {
  const successCode = packet?.success.exit_code ?? 0;
  if (status === 'success' && cls !== undefined)
    throw new PackgateError('INPUT_INVALID', `--status success with --class "${cls}": a success has no failure class`, {
      hint: 'drop --class, or give the status the job ended with (failure, timeout, crash, ...); nothing was recorded',
    });
  if (status === 'success' && exitCode !== null && exitCode !== successCode)
    throw new PackgateError(
      'INPUT_INVALID',
      `--status success with --exit-code ${exitCode}: a success exits with ${successCode}` +
        `${packet ? ` (the packet's success.exit_code)` : ''}`,
      { hint: 'give the status the job ended with, or its real exit code; nothing was recorded' },
    );
  const classes = knownClasses(
    packet?.failure.classes.map(c => c.name) ?? [],
    config.classes.map(c => c.name),
  );
  if (cls !== undefined && !classes.includes(cls))
    throw new PackgateError('INPUT_INVALID', `--class "${cls}" is not a failure class`, {
      hint: `${classHint(cls, classes, governanceFile)}; nothing was recorded`,
    });
}

/**
 * Where a hand closeout's log is: the stored evidence file relative to the root, as a watched run's
 * log path is (an absolute path breaks when the checkout moves); a blob in the database as located.
 */
function logPath(root: string, located: string): string {
  return path.isAbsolute(located) ? displayPath(root, located) : located;
}

/** governance.yaml `watch:`, or its defaults for a project without one. */
export function watchConfig(p: Project): WatchConfig {
  return p.governance()?.value.watch ?? watchConfigSchema.parse({});
}

/** What a watcher packet is checked against: the root, governance.yaml's lanes and failure classes. */
function packetProject(p: Project): PacketProject {
  return {
    root: p.root,
    governanceFile: p.governanceFile,
    lanes: Object.keys(p.governance()?.value.lanes ?? {}),
    projectClasses: watchConfig(p).classes.map(c => c.name),
    grace: watchConfig(p).grace,
  };
}

/** `escalations`: raised now, as before; `alreadyEscalated`: the same ones still open, not raised again. */
function escalationsJson(escalations: readonly WatchEscalation[]) {
  return {
    escalations: escalations.filter(e => !e.already).map(e => e.escalation),
    alreadyEscalated: escalations.filter(e => e.already).map(e => e.escalation),
  };
}

/** A packet's task must be in the store: one that is not is refused where the packet names it, nothing recorded. */
async function requirePacketTask(store: QueueStore, packet: WatchPacket, source: YamlSource): Promise<void> {
  if (await store.getTask(packet.task_id)) return;
  throw new PackgateError('WATCH_PACKET_INVALID', `watcher packet ${source.file} names an unknown task`, {
    diagnostics: [
      at(
        source,
        ['task_id'],
        'watch-reference',
        `unknown task "${packet.task_id}"`,
        await unknownTaskHint(store, packet.task_id),
      ),
    ],
  });
}

/**
 * `watch close`'s target that is neither a watcher (no packet by that id) nor a task: a misspelt watcher id
 * is as likely as a misspelt task id, so the nearest of each is named, watchers first (as watch run names them).
 */
async function noCloseTarget(store: QueueStore, root: string, target: string): Promise<PackgateError> {
  const ids = watcherIds(root);
  const watcher = nearest(target, ids);
  const task = nearest(
    target,
    (await store.listTasks()).map(t => t.id),
  );
  const meant = watcher ? `did you mean the watcher ${watcher}? ` : task ? `did you mean the task ${task}? ` : '';
  return new PackgateError(
    'INPUT_INVALID',
    `no watcher or task ${target}: no packet ${WATCHERS_DIR}/${target}.yaml and no task ${target} in the queue store`,
    {
      hint:
        meant +
        (ids.length ? `known watchers: ${ids.join(', ')} (packgate watch list); ` : '') +
        'tasks: packgate task list; nothing was recorded',
    },
  );
}

/**
 * A watcher's task that is not in the store: a typo of one that is (named, as every command that takes
 * a task id names it), else a task to record first. Only the ids are read, only on this error path.
 */
async function unknownTaskHint(store: QueueStore, taskId: string): Promise<string> {
  const record = `packgate packet new --task-id ${taskId} --kind watch ...`;
  const near = nearest(
    taskId,
    (await store.listTasks()).map(t => t.id),
  );
  return near ? `did you mean "${near}"? (a new task is recorded first: ${record})` : `record it first: ${record}`;
}
