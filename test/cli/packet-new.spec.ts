import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { EXAMPLE_ENV, EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

const PACKET_FILE = `.packgate/packets/${EXAMPLE_TASK}.yaml`;

test("the document's example through make writes a packet that packet check accepts, filled from the catalogue", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  const made = await project.make('agent-context-packet', EXAMPLE_ENV);
  expect(made.stderr).toBe('');
  expect(made.stdout).toContain(
    `packet written: ${PACKET_FILE}\ntask ${EXAMPLE_TASK} recorded in the queue store: ready\n`,
  );
  expect(made.exitCode).toBe(0);

  const packet = parse(project.read(PACKET_FILE));
  expect(packet).toMatchObject({
    task_id: EXAMPLE_TASK,
    track_id: EXAMPLE_TASK,
    owner_lane: 'C-ops',
    goal: 'Add deployed auth/login release gate for demo',
    environment: { name: 'local', stage: 'dev', kind: 'embedded', layers: ['api', 'browser'] },
    workflow_regression_pack: 'auth-session',
    commands_to_run: [
      `TASK_ID=${EXAMPLE_TASK} npx playwright test --project=local-api packs/auth-session/`,
      `TASK_ID=${EXAMPLE_TASK} npx playwright test --project=local-browser packs/auth-session/`,
      `npx packgate drift --task ${EXAMPLE_TASK}`,
    ],
    acceptance: [
      'OIDC callback smoke blocks failure',
      'browser login plan recorded',
      {
        text: 'deployed app can start OIDC auth, Keycloak accepts callback, user can land in shell',
        pack: 'auth-session',
        environment: 'local',
      },
    ],
    owned_files: ['packs/**', 'environments/**', 'seeds/**', '.ci/**'],
    must_not_touch: ['stack/**', 'src/**', 'environments/prod.yaml'],
  });
  expect(packet.architecture_context[0]).toMatch(/^pack auth-session \(Auth and session, owner C-ops\): A user opens/);
  expect(packet.known_risks).toContain(
    "auth-session's remote layer does not run in local: a pass here does not prove it; it runs in demo, staging, prod",
  );
  expect(packet.deviation_rules).toHaveLength(4);

  const check = await project.packgate(['packet', 'check', PACKET_FILE]);
  expect(check.stdout).toBe(
    `packet ok: ${PACKET_FILE}: task ${EXAMPLE_TASK}, lane C-ops, pack auth-session in local\n`,
  );
  expect(check.exitCode).toBe(0);
  const stored = await project.packgate(['packet', 'check', EXAMPLE_TASK]);
  expect(stored.stdout).toBe(
    `packet ok: task:${EXAMPLE_TASK}: task ${EXAMPLE_TASK}, lane C-ops, pack auth-session in local\n`,
  );
});

test('ENVIRONMENT=demo fills the remote command and names the secrets by env var only', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const { result, body } = await project.json<{ packet: Record<string, string[]> }>(['packet', 'new'], {
    ...EXAMPLE_ENV,
    ENVIRONMENT: 'demo',
  });
  expect(result.exitCode).toBe(0);
  expect(body.packet.commands_to_run[0]).toBe(
    `TASK_ID=${EXAMPLE_TASK} npx playwright test --project=demo-remote packs/auth-session/`,
  );
  expect(body.packet.architecture_context).toContain(
    'secrets demo needs, by env var (never in this packet): PACKGATE_DEMO_USER_PASSWORD, PACKGATE_DEMO_MEMBER_PASSWORD',
  );
});

test('missing inputs: each field named with what to set, exit 2, nothing written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  const result = await project.packgate(['packet', 'new'], {
    TASK_ID: 'T-1',
    WORKFLOW_REGRESSION_PACK: 'auth-session',
  });
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(`packgate: packet new cannot write a complete packet:
  owner_lane: missing required field "owner_lane"
    hint: add "owner_lane:": the lane that owns the work, one of governance.yaml \`lanes:\` (OWNER_LANE)
  goal: missing required field "goal"
    hint: add "goal:": what done looks like, in a sentence (GOAL)
  (2 errors)
  hint: give what is missing as a flag or env var (see packet new --help); nothing was written
`);
  expect(result.exitCode).toBe(2);
  expect(project.exists('.packgate/packets')).toBe(false);
  expect(project.storeSnapshot()).toBe('no store');
});

test('an unknown pack and lane get a suggestion, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  const result = await project.packgate(['packet', 'new'], {
    ...EXAMPLE_ENV,
    OWNER_LANE: 'C-opz',
    WORKFLOW_REGRESSION_PACK: 'auth-sesion',
  });
  expect(result.stderr).toContain(
    '  owner_lane: lane "C-opz" is not in governance.yaml\n    hint: did you mean "C-ops"?',
  );
  expect(result.stderr).toContain(
    '  workflow_regression_pack: pack "auth-sesion" does not exist\n    hint: did you mean "auth-session"?',
  );
  // The fields the pack would have filled are not reported as empty on top of it.
  expect(result.stderr).not.toContain('commands_to_run');
  expect(result.exitCode).toBe(2);
  expect(project.storeSnapshot()).toBe('no store');

  // An unknown lane alone: what it would have filled (owned files) is not reported empty on top of it, and
  // the closing hint says to fix it (before: 'owned_files: "owned_files" is empty' and 'give what is missing').
  const lane = await project.packgate(['packet', 'new'], { ...EXAMPLE_ENV, OWNER_LANE: 'C-opz' });
  expect(lane.stderr).toBe(
    'packgate: packet new cannot write a complete packet:\n' +
      '  owner_lane: lane "C-opz" is not in governance.yaml\n    hint: did you mean "C-ops"?\n  (1 error)\n' +
      '  hint: fix what is wrong by flag or env var (see packet new --help); nothing was written\n',
  );
  expect(lane.exitCode).toBe(2);
  const json = await project.packgate(['packet', 'new', '--json'], { ...EXAMPLE_ENV, OWNER_LANE: 'C-opz' });
  expect((JSON.parse(json.stdout) as { error: { diagnostics: Array<{ path: string }> } }).error.diagnostics).toEqual([
    expect.objectContaining({ path: 'owner_lane', rule: 'unknown-lane' }),
  ]);
  expect(project.storeSnapshot()).toBe('no store');

  // An unknown environment is said beside the unknown pack, and alone once, without what it would have filled.
  const both = await project.packgate(['packet', 'new', '--environment', 'demoo'], {
    ...EXAMPLE_ENV,
    WORKFLOW_REGRESSION_PACK: 'auth-sesion',
  });
  expect(both.stderr).toContain('  environment: environment "demoo" does not exist\n    hint: did you mean "demo"?');
  expect(both.stderr).toContain('  workflow_regression_pack: pack "auth-sesion" does not exist');
  const environment = await project.packgate(['packet', 'new', '--environment', 'demoo'], EXAMPLE_ENV);
  expect(environment.stderr).toContain(
    'packgate: packet new cannot write a complete packet:\n' +
      '  environment: environment "demoo" does not exist\n    hint: did you mean "demo"?\n  (1 error)\n',
  );
  expect(environment.exitCode).toBe(2);
  expect(project.storeSnapshot()).toBe('no store');
});

test('the kind: an unknown one is bad input; TASK_KIND=bugfix makes a bug-fix task that holds its release', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  const bogus = await project.packgate(['packet', 'new', '--kind', 'bogus'], EXAMPLE_ENV);
  expect(bogus.stderr).toContain(
    '  kind: expected one of "feature", "bugfix", "coverage", "watch", "chore", got "bogus"',
  );
  expect(bogus.exitCode).toBe(2);
  expect(project.storeSnapshot()).toBe('no store');

  await project.examplePacket({ TASK_KIND: 'bugfix' });
  const { body } = await project.json<{ task: { kind: string; packet: { kind: string } } }>([
    'task',
    'show',
    EXAMPLE_TASK,
  ]);
  expect(body.task).toMatchObject({ kind: 'bugfix', packet: { kind: 'bugfix' } });
  const holds = await project.json<{ holds: Array<{ taskId: string; pack: string; active: boolean }> }>([
    'review',
    'holds',
  ]);
  expect(holds.body.holds).toEqual([
    expect.objectContaining({ taskId: EXAMPLE_TASK, pack: 'auth-session', active: true }),
  ]);
});

test('a task that already has a packet is not overwritten by packet new', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  const before = project.storeSnapshot();
  const again = await project.packgate(['packet', 'new'], { ...EXAMPLE_ENV, GOAL: 'something else' });
  expect(again.stderr).toBe(
    `packgate: task ${EXAMPLE_TASK} already has a packet (it is ready)\n  hint: to change it, edit the packet file and run: packgate packet attach <file>\n`,
  );
  expect(again.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
  expect(project.read(PACKET_FILE)).toContain('goal: Add deployed auth/login release gate for demo');
});

test('--json errors are structured: code, message, hint', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  const { result, body } = await project.json(['packet', 'new'], { ...EXAMPLE_ENV, TASK_ID: 'bad id!' });
  expect(result.exitCode).toBe(2);
  expect(body).toMatchObject({
    schemaVersion: 1,
    ok: false,
    error: { code: 'PACKET_INVALID', message: expect.stringContaining('task_id: must be letters, digits') },
  });
});

test('--json: each problem of the inputs is a located diagnostic, as packet check gives them', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  const { result, body } = await project.json<{
    ok: boolean;
    error: { code: string; message: string; diagnostics: Array<Record<string, unknown>> };
  }>(['packet', 'new'], { TASK_ID: 'T-1', WORKFLOW_REGRESSION_PACK: 'auth-sesion' });
  expect(result.exitCode).toBe(2);
  expect(body).toMatchObject({ ok: false, error: { code: 'PACKET_INVALID' } });
  const { diagnostics } = body.error;
  // The problems the message lists, in its order; the fields the pack and the lane fill not among them.
  expect(diagnostics.map(d => [d.rule, d.path])).toEqual([
    ['missing-field', 'owner_lane'],
    ['missing-field', 'goal'],
    ['empty-field', 'acceptance'],
    ['unknown-pack', 'workflow_regression_pack'],
  ]);
  for (const d of diagnostics) expect(body.error.message).toContain(`  ${d.path}: ${d.message}\n    hint: ${d.hint}`);
  // Located in the packet packet new would have written (it was not): file, line, col, field.
  expect(diagnostics[0]).toEqual({
    severity: 'error',
    rule: 'missing-field',
    file: '.packgate/packets/T-1.yaml',
    line: expect.any(Number),
    col: expect.any(Number),
    path: 'owner_lane',
    message: 'missing required field "owner_lane"',
    hint: expect.stringContaining('(OWNER_LANE)'),
  });
  expect(diagnostics[3]).toMatchObject({
    message: 'pack "auth-sesion" does not exist',
    hint: 'did you mean "auth-session"?',
  });
  expect(project.exists('.packgate/packets')).toBe(false);
  expect(project.storeSnapshot()).toBe('no store');
});
