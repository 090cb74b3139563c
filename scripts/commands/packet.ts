import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../src/diagnostics/format.ts';
import { hasErrors, type Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { headCommit, projectRepo } from '../../src/git/git.ts';
import { storedPacketSource } from '../../src/loop/task-packet.ts';
import { attachPacket } from '../../src/packet/attach-packet.ts';
import { buildPacket, type PacketInputs } from '../../src/packet/build-packet.ts';
import { checkPacket } from '../../src/packet/check-packet.ts';
import { displayPath } from '../../src/fs/named-file.ts';
import { readPacketFile, renderPacket } from '../../src/packet/packet-source.ts';
import { YamlSource } from '../../src/diagnostics/yaml-source.ts';
import { packetEnvironmentName, taskIdSchema, type ContextPacket } from '../../src/packet/packet-schema.ts';
import { actorOf, emit, plural, project, splitList, withStore, type CommonOptions, type Project } from './kit.ts';
import { writeFileAtomic } from '../../src/fs/write-file-atomic.ts';

/** `packet new` flags; each falls back to the env var named like the packet field (TASK_ID, GOAL, ...). */
export type PacketNewOptions = CommonOptions & {
  taskId?: string;
  kind?: string;
  trackId?: string;
  ownerLane?: string;
  goal?: string;
  nonGoals?: string;
  currentState?: string;
  environment?: string;
  ownedFiles?: string;
  mustNotTouch?: string;
  command?: string[];
  acceptance?: string;
  pack?: string;
  knownRisks?: string;
  stopConditions?: string;
  out?: string;
};

/** Where `packet new` writes, unless --out or PACKET_FILE says otherwise. */
export const PACKETS_DIR = '.packgate/packets';

/**
 * Writes a complete context packet from a few inputs and records it on its task (created ready, or
 * a proposed task made ready). Checked exactly as `packet check` checks: if it would not pass,
 * every problem is listed and nothing is written.
 */
export async function packetNew(options: PacketNewOptions): Promise<void> {
  const p = project();
  const env = process.env;
  const inputs: PacketInputs = {
    taskId: options.taskId ?? env.TASK_ID,
    kind: options.kind ?? env.TASK_KIND,
    trackId: options.trackId ?? env.TRACK_ID,
    ownerLane: options.ownerLane ?? env.OWNER_LANE,
    goal: options.goal ?? env.GOAL,
    nonGoals: splitList(options.nonGoals ?? env.NON_GOALS),
    currentState: options.currentState ?? env.CURRENT_STATE,
    environment: options.environment ?? env.ENVIRONMENT,
    ownedFiles: splitList(options.ownedFiles ?? env.OWNED_FILES),
    mustNotTouch: splitList(options.mustNotTouch ?? env.MUST_NOT_TOUCH),
    commands: options.command ?? splitList(env.COMMANDS_TO_RUN),
    acceptance: splitList(options.acceptance ?? env.ACCEPTANCE),
    pack: options.pack ?? env.WORKFLOW_REGRESSION_PACK,
    knownRisks: splitList(options.knownRisks ?? env.KNOWN_RISKS),
    stopConditions: splitList(options.stopConditions ?? env.STOP_CONDITIONS),
  };
  const catalogue = p.catalogue();
  const governance = p.governance();
  const repo = projectRepo(p.root);
  const built = buildPacket(inputs, {
    catalogue,
    governance,
    gitCommit: repo ? headCommit(repo) : undefined,
    now: new Date(),
  });

  const validId = inputs.taskId && taskIdSchema.safeParse(inputs.taskId).success;
  const out = path.resolve(
    p.root,
    options.out ?? env.PACKET_FILE ?? `${PACKETS_DIR}/${validId ? inputs.taskId : 'packet'}.yaml`,
  );
  const file = displayPath(p.root, out);
  const text = renderPacket(built, schemaPathFrom(p.root, out));
  const { packet, diagnostics } = checkPacket(new YamlSource(file, text), {
    catalogue,
    governance,
    governanceFile: p.governanceFile,
  });
  if (!packet) {
    const problems = dropDerived(diagnostics);
    // Located in the packet it would have written (`file`), by field (`path`): --json gets them as
    // packet check gives them; a person gets them by field, there being no file to open.
    throw new PackgateError('PACKET_INVALID', 'packet new cannot write a complete packet', {
      diagnostics: problems,
      inputs: true,
      // "What is missing" only when something is: an unknown lane or pack is to be fixed, not given.
      hint: `${
        problems.every(isMissing)
          ? 'give what is missing as a flag or env var'
          : problems.some(isMissing)
            ? 'give what is missing and fix what is wrong by flag or env var'
            : 'fix what is wrong by flag or env var'
      } (see packet new --help); nothing was written`,
    });
  }

  const { task, created } = await withStore(p, store =>
    attachPacket(store, packet, actorOf(options), { replace: false }),
  );
  writeFileAtomic(out, text);
  emit(options, { file, task: { id: task.id, state: task.state, created }, packet }, [
    `packet written: ${file}`,
    `task ${task.id} ${created ? 'recorded' : 'updated'} in the queue store: ${task.state}`,
    `  pack ${packet.workflow_regression_pack} in ${packetEnvironmentName(packet.environment)}; ` +
      `${plural(packet.acceptance.length, 'acceptance item')}; ${plural(packet.commands_to_run.length, 'command')} to run`,
    `next: packgate task start ${task.id}`,
  ]);
}

/** Checks a packet file, or the packet stored on a task; exit 2 with every problem when it does not pass. */
export async function packetCheck(target: string, options: CommonOptions): Promise<void> {
  const p = project();
  const catalogue = p.catalogue();
  const governance = p.governance();
  const isFile = fs.existsSync(path.resolve(p.root, target)) || /\.(ya?ml|json)$/.test(target);
  let source: YamlSource;
  let syntax: Diagnostic[] = [];
  let taskId: string | undefined;
  if (isFile) ({ source, diagnostics: syntax } = readPacketFile(p.root, target));
  else {
    const task = await withStore(p, store => store.requireTask(target));
    if (!task.packet)
      throw new PackgateError('PACKET_INVALID', `task ${task.id} has no packet`, {
        hint: `write one: packgate packet new --task-id ${task.id} ...`,
      });
    source = storedPacketSource(task);
    taskId = task.id;
  }
  const { packet, diagnostics } = hasErrors(syntax)
    ? { packet: undefined, diagnostics: syntax }
    : checkPacket(source, { catalogue, governance, governanceFile: p.governanceFile, taskId });
  if (!packet)
    throw new PackgateError(
      'PACKET_INVALID',
      `packet ${source.file} does not pass (${summarizeDiagnostics(diagnostics)})`,
      {
        diagnostics,
        hint: 'fix each problem above; schemas/packet.schema.json describes every field',
      },
    );
  emit(options, { file: source.file, packet, warnings: diagnostics }, [
    ...(diagnostics.length ? [formatDiagnostics(diagnostics), ''] : []),
    `packet ok: ${source.file}: task ${packet.task_id}, lane ${packet.owner_lane}, ` +
      `pack ${packet.workflow_regression_pack} in ${packetEnvironmentName(packet.environment)}`,
  ]);
}

/** Checks a packet file and puts it on its task: creating it, readying a proposed one, or replacing its packet. */
export async function packetAttach(file: string, options: CommonOptions): Promise<void> {
  const p = project();
  const packet = checkedFile(p, file);
  const { task, created } = await withStore(p, store =>
    attachPacket(store, packet, actorOf(options), { replace: true }),
  );
  emit(
    options,
    { task: { id: task.id, state: task.state, created }, packetDigest: task.packetDigest },
    `task ${task.id} ${created ? 'recorded' : 'updated'} with packet ${file}: ${task.state}`,
  );
}

function checkedFile(p: Project, file: string): ContextPacket {
  const { source, diagnostics: syntax } = readPacketFile(p.root, file);
  const { packet, diagnostics } = hasErrors(syntax)
    ? { packet: undefined, diagnostics: syntax }
    : checkPacket(source, { catalogue: p.catalogue(), governance: p.governance(), governanceFile: p.governanceFile });
  if (!packet)
    throw new PackgateError(
      'PACKET_INVALID',
      `packet ${source.file} does not pass (${summarizeDiagnostics(diagnostics)})`,
      {
        diagnostics,
        hint: 'fix each problem above; nothing was written',
      },
    );
  return packet;
}

/**
 * A pack the catalogue does not know leaves the fields it would fill empty: report the pack, not
 * the emptiness that follows from it.
 */
function dropDerived(diagnostics: Diagnostic[]): Diagnostic[] {
  const noPack = diagnostics.some(
    d => d.rule === 'unknown-pack' || (d.path === 'workflow_regression_pack' && d.rule === 'missing-field'),
  );
  const noEnvironment = diagnostics.some(d => d.path === 'environment' && d.rule === 'unknown-environment');
  // What the lane would have filled (its owned files, risks, stop conditions, non-goals) is not empty
  // on top of an unknown or missing lane: given the lane, it is filled. Risks come from the pack too.
  const noLane = diagnostics.some(
    d => d.path === 'owner_lane' && (d.rule === 'unknown-lane' || d.rule === 'missing-field'),
  );
  const fromLane = new Set([
    ...(noLane ? ['owned_files', 'stop_conditions', 'non_goals'] : []),
    ...(noLane || noPack ? ['known_risks'] : []),
  ]);
  diagnostics = diagnostics.filter(d => !(d.rule === 'empty-field' && fromLane.has(d.path)));
  // What the catalogue would have filled from a known pack and environment; an unknown environment
  // given is still said, once (the pack's acceptance item carries the same name).
  const derived = new Set([
    ...(noPack || noEnvironment ? ['architecture_context', 'commands_to_run'] : []),
    ...(noPack ? ['environment'] : []),
  ]);
  return diagnostics.filter(
    d =>
      (!derived.has(d.path) || d.rule === 'unknown-environment') &&
      !(noEnvironment && /^acceptance\[\d+\]\.environment$/.test(d.path) && d.rule === 'unknown-environment'),
  );
}

/** A field left out or empty: given by flag or env var, where another problem is a value to fix. */
function isMissing(d: Diagnostic): boolean {
  return d.rule === 'missing-field' || d.rule === 'empty-field';
}

function schemaPathFrom(root: string, file: string): string {
  return path.relative(path.dirname(file), path.join(root, 'schemas/packet.schema.json')).split(path.sep).join('/');
}
