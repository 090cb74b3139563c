import { expect, test } from '@playwright/test';
import { governanceSchema } from '../../../src/governance/governance-schema.ts';
import { followUpPacket } from '../../../src/loop/follow-up-packet.ts';
import type { ContextPacket } from '../../../src/packet/packet-schema.ts';

const governance = governanceSchema.parse({
  lanes: {
    'lane-a': {
      description: 'the packs',
      owned_files: ['packs/**'],
      must_not_touch: ['core/**'],
      non_goals: ['no core work'],
    },
    'lane-b': {
      description: 'the core',
      owned_files: ['core/**', 'docs/**'],
      must_not_touch: ['packs/**'],
      known_risks: ['the core reaches every pack'],
      stop_conditions: ['a public API changes'],
    },
  },
  defaults: { must_not_touch: ['prod.yaml'], non_goals: ['release redesign'] },
});

const parent: ContextPacket = {
  task_id: 'T-1',
  kind: 'feature',
  track_id: 'TRACK',
  owner_lane: 'lane-a',
  goal: 'gate the callback',
  non_goals: ['no proxy work'],
  current_state: 'not started',
  architecture_context: ['pack p: the journey'],
  environment: 'local',
  owned_files: ['packs/**'],
  must_not_touch: ['core/**', 'prod.yaml'],
  commands_to_run: ['TASK_ID=T-1 npx playwright test --project=local-api packs/p/', 'npx packgate drift --task T-1'],
  acceptance: ['a plan is recorded', { text: 'sign-in works', pack: 'p', environment: 'local' }],
  workflow_regression_pack: 'p',
  known_risks: ['remote not proven'],
  stop_conditions: ['stop on must_not_touch'],
  deviation_rules: ['the four rules'],
  handoff_required: ['files changed'],
};

test("a follow-up belongs to the lane owning its file, with that lane's boundaries, risks and stops", () => {
  const packet = followUpPacket(
    parent,
    { path: 'docs/guide.md', status: 'modified' },
    {
      id: 'T-1-FU-1',
      governance,
      governanceFile: 'governance.yaml',
      head: 'abcdef1234567890',
    },
  );
  expect(packet).toMatchObject({
    task_id: 'T-1-FU-1',
    track_id: 'TRACK',
    owner_lane: 'lane-b',
    owned_files: ['docs/guide.md'],
    must_not_touch: ['packs/**', 'prod.yaml'],
    environment: 'local',
    workflow_regression_pack: 'p',
    commands_to_run: [
      'TASK_ID=T-1-FU-1 npx playwright test --project=local-api packs/p/',
      'npx packgate drift --task T-1-FU-1',
    ],
    acceptance: [
      'the change to docs/guide.md is made and reviewed here, or this task is closed as not wanted',
      { text: 'sign-in works', pack: 'p', environment: 'local' },
    ],
    stop_conditions: ['stop on must_not_touch', 'a public API changes'],
    deviation_rules: ['the four rules'],
    handoff_required: ['files changed'],
  });
  expect(packet.goal).toBe(
    'Follow-up of T-1: decide whether the change to docs/guide.md, made there outside its owned files, is wanted, ' +
      'and if so make it here (the goal of T-1: gate the callback)',
  );
  expect(packet.non_goals).toEqual(['the goal of T-1 itself: that task does it', 'no proxy work', 'release redesign']);
  expect(packet.current_state).toContain('docs/guide.md modified in its worktree (commit abcdef123456)');
  expect(packet.architecture_context.slice(0, 2)).toEqual([
    'follow-up of T-1, whose owned files are packs/**',
    'lane lane-b owns docs/guide.md (docs/**): the core',
  ]);
  expect(packet.known_risks).toContain('the core reaches every pack');
});

test("a file no lane owns stays with the parent's lane and its boundaries, and says so, naming the governance file", () => {
  const packet = followUpPacket(
    parent,
    { path: 'NOTES.md', status: 'untracked' },
    {
      id: 'T-1-FU-2',
      governance,
      // packgate.yaml's governance: points elsewhere.
      governanceFile: 'config/lanes.yaml',
      head: null,
    },
  );
  expect(packet).toMatchObject({
    owner_lane: 'lane-a',
    owned_files: ['NOTES.md'],
    must_not_touch: ['core/**', 'prod.yaml'],
  });
  expect(packet.non_goals).toContain('no core work');
  expect(packet.known_risks).toContain(
    "no lane of config/lanes.yaml owns NOTES.md: the lane is lane-a's until one does",
  );
  expect(packet.current_state).toContain('NOTES.md untracked in its worktree (no commit)');
});
