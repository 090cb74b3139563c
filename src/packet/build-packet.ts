import { environmentsOfPack } from '../catalogue/environment-packs.ts';
import type { Catalogue, Located } from '../catalogue/load.ts';
import { gateRules } from '../catalogue/gate-rules.ts';
import { planProjects } from '../catalogue/project-plan.ts';
import { sortLayers } from '../schema/pack.ts';
import type { Governance, Lane } from '../governance/governance-schema.ts';
import type { Environment } from '../schema/environment.ts';
import type { Pack } from '../schema/pack.ts';
import { DRIFT_RULES, DRIFT_STOP_CONDITION, HANDOFF_REQUIRED } from './defaults.ts';

/** What a person or agent says about the task; everything else comes from the catalogue and governance. */
export type PacketInputs = {
  taskId?: string;
  /** feature (default), bugfix, coverage, watch, chore. */
  kind?: string;
  trackId?: string;
  ownerLane?: string;
  goal?: string;
  nonGoals: string[];
  currentState?: string;
  environment?: string;
  ownedFiles: string[];
  mustNotTouch: string[];
  /** Commands to run besides the ones the pack's projects give. */
  commands: string[];
  acceptance: string[];
  pack?: string;
  knownRisks: string[];
  stopConditions: string[];
};

export type BuildContext = {
  catalogue: Catalogue;
  governance?: Located<Governance>;
  /** The commit the packet is written at, for current_state. */
  gitCommit?: string;
  now: Date;
};

/**
 * A complete packet from a few inputs: the pack and environment fill architecture_context,
 * environment, commands_to_run (the exact playwright lines) and the pack's required proof; the lane
 * and governance defaults fill ownership, non-goals, risks and stop conditions. Fields it cannot
 * fill are left out, for the check to name.
 */
export function buildPacket(inputs: PacketInputs, context: BuildContext): Record<string, unknown> {
  const { catalogue } = context;
  const governance = context.governance?.value;
  const lane: Partial<Lane> = (inputs.ownerLane && governance?.lanes[inputs.ownerLane]) || {};
  const defaults = governance?.defaults;
  const pack = inputs.pack ? catalogue.packs.get(inputs.pack)?.value : undefined;
  const envName = inputs.environment ?? lane.environment ?? (pack && defaultEnvironment(pack, catalogue));
  const env = envName ? catalogue.environments.get(envName)?.value : undefined;
  const runsHere = pack && env ? sortLayers(pack.layers.filter(l => env.layers.includes(l))) : [];

  const packet: Record<string, unknown> = {
    schema_version: 1,
    task_id: inputs.taskId,
    ...(inputs.kind ? { kind: inputs.kind } : {}),
    track_id: inputs.trackId ?? inputs.taskId,
    owner_lane: inputs.ownerLane,
    goal: inputs.goal,
    non_goals: unique([...inputs.nonGoals, ...(lane.non_goals ?? []), ...(defaults?.non_goals ?? [])]),
    current_state:
      inputs.currentState ??
      `not started: packet written ${context.now.toISOString().slice(0, 10)}${context.gitCommit ? ` at commit ${context.gitCommit.slice(0, 12)}` : ''}`,
    architecture_context:
      pack && env && envName ? architecture(pack, envName, env, runsHere, lane, inputs.ownerLane) : [],
    environment:
      env && envName
        ? {
            name: envName,
            stage: env.stage,
            kind: env.kind,
            ...(env.description ? { description: env.description } : {}),
            layers: runsHere,
          }
        : envName,
    owned_files: inputs.ownedFiles.length ? inputs.ownedFiles : (lane.owned_files ?? []),
    must_not_touch: unique([
      ...inputs.mustNotTouch,
      ...(lane.must_not_touch ?? []),
      ...(defaults?.must_not_touch ?? []),
    ]),
    commands_to_run:
      pack && envName
        ? [
            ...playwrightCommands(catalogue, pack, envName, inputs.taskId),
            ...inputs.commands,
            ...(inputs.taskId ? [`npx packgate drift --task ${inputs.taskId}`] : []),
          ]
        : inputs.commands,
    acceptance: [
      ...inputs.acceptance,
      ...(pack ? [{ text: pack.required_proof, pack: pack.id, ...(envName ? { environment: envName } : {}) }] : []),
    ],
    workflow_regression_pack: inputs.pack,
    known_risks: unique([
      ...inputs.knownRisks,
      ...(lane.known_risks ?? []),
      ...(defaults?.known_risks ?? []),
      ...(pack && env && envName ? derivedRisks(catalogue, pack, envName, env, runsHere) : []),
    ]),
    stop_conditions: unique([
      ...inputs.stopConditions,
      ...(lane.stop_conditions ?? []),
      ...(defaults?.stop_conditions ?? []),
      DRIFT_STOP_CONDITION,
    ]),
    deviation_rules: defaults?.deviation_rules ?? [...DRIFT_RULES],
    handoff_required: defaults?.handoff_required ?? [...HANDOFF_REQUIRED],
  };
  return Object.fromEntries(Object.entries(packet).filter(([, v]) => v !== undefined));
}

/** Where a worker proves a pack by default: the first embedded environment it targets, else its first. */
function defaultEnvironment(pack: Pack, catalogue: Catalogue): string | undefined {
  const names = runningEnvironments(pack, catalogue);
  return names.find(name => catalogue.environments.get(name)?.value.kind === 'embedded') ?? names[0];
}

function runningEnvironments(pack: Pack, catalogue: Catalogue): string[] {
  return environmentsOfPack(
    pack,
    [...catalogue.environments.values()].map(e => e.value),
    [...catalogue.packs.values()].map(p => p.value),
  );
}

/** One line per layer the environment runs: `TASK_ID=<id> npx playwright test --project=<env>-<layer> packs/<id>/`. */
function playwrightCommands(catalogue: Catalogue, pack: Pack, envName: string, taskId: string | undefined): string[] {
  const prefix = taskId ? `TASK_ID=${taskId} ` : '';
  const projects = planProjects(catalogue).filter(
    p => p.kind === 'packs' && p.metadata.environment === envName && p.metadata.packs.includes(pack.id),
  );
  return [...new Set(projects.map(p => p.name))].map(
    name => `${prefix}npx playwright test --project=${name} ${catalogue.packs.get(pack.id)!.dir}/`,
  );
}

function architecture(
  pack: Pack,
  envName: string,
  env: Environment,
  runsHere: string[],
  lane: Partial<Lane>,
  laneName?: string,
): string[] {
  const policy = pack.policy[env.stage];
  const secrets = Object.values(env.secrets).map(s => s.env);
  return [
    `pack ${pack.id} (${pack.title}, owner ${pack.owner}): ${pack.journey.trim()}`,
    `required proof: ${pack.required_proof}`,
    `layers: ${pack.layers.join(', ')}; lowest reliable layer: ${pack.lowest_reliable_layer}; depends on: ${pack.depends_on.join(', ') || 'no other pack'}`,
    `environment ${envName}: stage ${env.stage}, ${env.kind}${env.description ? ` (${env.description.trim()})` : ''}; ` +
      `runs ${pack.id} at ${runsHere.join(', ') || 'no layer'}; policy there: ${policy ?? 'none'}`,
    `the gate: BLOCKED, PASS_WITH_WARNINGS or PASS in the verdict (gate-results/verdict.json); with TASK_ID set the run is recorded on the task`,
    ...(secrets.length ? [`secrets ${envName} needs, by env var (never in this packet): ${secrets.join(', ')}`] : []),
    ...(laneName && lane.description ? [`lane ${laneName}: ${lane.description.trim()}`] : []),
  ];
}

/** What the catalogue itself says is left unproven or weak for this pack in this environment. */
function derivedRisks(
  catalogue: Catalogue,
  pack: Pack,
  envName: string,
  env: Environment,
  runsHere: string[],
): string[] {
  const risks: string[] = [];
  for (const layer of pack.layers.filter(l => !runsHere.includes(l))) {
    const elsewhere = runningEnvironments(pack, catalogue).filter(name =>
      catalogue.environments.get(name)?.value.layers.includes(layer),
    );
    risks.push(
      `${pack.id}'s ${layer} layer does not run in ${envName}: a pass here does not prove it${elsewhere.length ? `; it runs in ${elsewhere.join(', ')}` : ''}`,
    );
  }
  if (pack.policy[env.stage] === 'advisory')
    risks.push(`${pack.id} is advisory on stage ${env.stage}: its failure does not block the gate there`);
  if (gateRules(env).flaky === 'warn')
    risks.push(`a flaky ${pack.id} (passed on retry) only warns on stage ${env.stage}`);
  for (const upstream of pack.depends_on)
    risks.push(
      `${pack.id} depends on ${upstream}: a failure there shows here as BLOCKED_BY_UPSTREAM, not as this pack's own`,
    );
  return risks;
}

function unique(items: string[]): string[] {
  return [...new Set(items.map(i => i.trim()).filter(Boolean))];
}
