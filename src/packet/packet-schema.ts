import { z } from 'zod';
import { globSchema, laneIdSchema } from '../governance/governance-schema.ts';
import { filledList, filledText, idSchema, layerSchema, schemaVersionSchema, stageSchema } from '../schema/common.ts';
import { taskKindSchema } from '../store/queue-schema.ts';

/**
 * Task and track ids name a git branch and a folder, so they keep to what both accept:
 * letters, digits, dots, dashes and underscores, e.g. `C-DEPLOYED-AUTH-LOGIN-RELEASE-GATE-001`.
 */
export const taskIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*$/, {
    error: 'must be letters, digits, ".", "-" or "_", starting with a letter or digit, e.g. "C-AUTH-GATE-001"',
  })
  .max(100, { error: 'must be at most 100 characters' })
  .refine(id => !id.endsWith('.') && !id.endsWith('.lock'), { error: 'must not end with "." or ".lock"' });

/**
 * `packet check` names an empty field or list item itself, with the field's hint (check-packet.ts
 * `emptiness`), an empty list in the words of its filledList here; these say what to write where
 * that does not look: an acceptance item's `text`, a packet a command builds.
 */
const item = (what: string) => filledText(`${what}, or remove the item`);
/** A list of sentences: `[]` says to list them, an empty item to write it (`what` says what they are). */
const sentences = (what: string) => filledList(item(`write ${what}`), `list ${what}`);

/**
 * One acceptance check. Plain text needs a proof recorded with `packgate task prove`; the object form
 * names a pack, and a gate run recorded on the task in which that pack passed proves it.
 * @example "browser login plan recorded"
 * @example { text: "user can land in shell", pack: auth-session, environment: demo }
 */
const ACCEPTANCE = 'write a check the handoff must prove, e.g. "user can land in shell"';
export const acceptanceItemSchema = z.union([
  item(ACCEPTANCE),
  z.strictObject({
    text: filledText(ACCEPTANCE),
    /** The pack whose PASS in a gate run recorded on the task proves this item. */
    pack: idSchema,
    /** Only a run in this environment counts. Default: any environment. */
    environment: idSchema.optional(),
  }),
]);
export type AcceptanceItem = z.infer<typeof acceptanceItemSchema>;

/** The environment the task's proof runs in: its name, and what the catalogue says of it. */
export const packetEnvironmentSchema = z.union([
  idSchema,
  z.strictObject({
    name: idSchema,
    stage: stageSchema.optional(),
    kind: z.enum(['embedded', 'parity', 'remote']).optional(),
    description: z.string().optional(),
    /** Layers the environment runs that the pack implements. */
    layers: z.array(layerSchema).optional(),
  }),
]);
export type PacketEnvironment = z.infer<typeof packetEnvironmentSchema>;

/**
 * The context packet every non-trivial implementation task carries: enough for a worker to do the
 * task from the packet alone, without the chat history. Every field is required and none may be empty.
 * Authored or generated (`packgate packet new`) as YAML; stored with the task in the queue store.
 */
export const contextPacketSchema = z.strictObject({
  schema_version: schemaVersionSchema.optional(),
  task_id: taskIdSchema,
  /**
   * What the task is for: feature (the default), bugfix (not done until its definition of done is
   * recorded and its regression proven), coverage (a regression a bug fix could not add), watch, chore.
   * A bugfix or coverage task holds back the release stages of its pack's environments while open.
   */
  kind: taskKindSchema.default('feature'),
  /** The parallel track this task belongs to; tasks of one track share a goal. */
  track_id: taskIdSchema,
  /** The lane that owns the work (governance.yaml `lanes:`). */
  owner_lane: laneIdSchema,
  /** What done looks like, in a sentence. */
  goal: filledText('say in a sentence what done looks like'),
  /** What this task must not turn into. */
  non_goals: sentences('what this task must not turn into'),
  /** Where things stand when the task starts. */
  current_state: filledText('say where things stand when the task starts'),
  /** The architecture a worker needs: the pack's journey, layers, environment, lane. */
  architecture_context: sentences("what a worker needs of the architecture: the pack's journey, layers, lane"),
  /** Where the proof runs. */
  environment: packetEnvironmentSchema,
  /** Globs of the files this task may change. */
  owned_files: filledList(globSchema, 'list globs of the files this task may change, e.g. ["packs/auth-session/**"]'),
  /** Globs of files this task must not change: touching one stops the task and escalates. */
  must_not_touch: filledList(globSchema, 'list globs of the files this task must not change, e.g. ["src/**"]'),
  /** The exact command lines that prove the work, in order. */
  commands_to_run: filledList(
    item('write a command line that proves the work, e.g. "npx playwright test"'),
    'list the command lines that prove the work, in order, e.g. ["npx playwright test --project=local-api"]',
  ),
  /** The checks the handoff must prove, each with a recorded proof. */
  acceptance: filledList(
    acceptanceItemSchema,
    'list the checks the handoff must prove, e.g. ["user can land in shell"]',
  ),
  /** The workflow regression pack that protects this work (a pack id in the catalogue). */
  workflow_regression_pack: idSchema,
  known_risks: sentences('what could go wrong or stay unproven'),
  /** When the worker must stop and hand back instead of pushing on. */
  stop_conditions: sentences('when the worker must stop and hand back'),
  /** What to do when unexpected work appears (the four drift rules, unless governance says otherwise). */
  deviation_rules: sentences('what to do when unexpected work appears'),
  /** What the handoff must contain. */
  handoff_required: sentences('what the handoff must contain'),
});
export type ContextPacket = z.infer<typeof contextPacketSchema>;

/** The packet's required fields in the order the requirements document lists them (kind has a default). */
export const PACKET_FIELDS = Object.keys(contextPacketSchema.shape).filter(
  k => k !== 'schema_version' && k !== 'kind',
) as Array<Exclude<keyof ContextPacket, 'schema_version' | 'kind'>>;

export function packetEnvironmentName(environment: PacketEnvironment): string {
  return typeof environment === 'string' ? environment : environment.name;
}

export function acceptanceText(item: AcceptanceItem): string {
  return typeof item === 'string' ? item : item.text;
}
