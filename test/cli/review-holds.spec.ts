import { expect, test } from '@playwright/test';
import { stringify } from 'yaml';
import type { ReleaseHoldView } from '../../src/store/release-hold-schema.ts';
import { startedBugfix, type TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

const SKIPPED = 'the IdP cannot be made to refuse the callback at the api layer without a new fault';

/** BUG-1's record with no regression, its coverage skipped. */
function skippedRecord(project: TaskProject): string {
  project.write({
    'fix.yaml': stringify({
      task_id: 'BUG-1',
      root_cause: 'the demo deployment registered its callback without the /auth path',
      owning_layer: 'api',
      impact: 'nobody could sign in on demo',
      proof_command: 'npx playwright test --project=local-api packs/auth-session/idp-contract.spec.ts',
      layer_rationale: "the IdP's redirect_uri check refuses the callback without a browser",
      skipped_coverage: SKIPPED,
    }),
  });
  return 'fix.yaml';
}

async function holds(project: TaskProject, ...args: string[]): Promise<ReleaseHoldView[]> {
  const { result, body } = await project.json<{ holds: ReleaseHoldView[] }>(['review', 'holds', ...args]);
  expect(result.exitCode, result.output).toBe(0);
  return body.holds;
}

/** BUG-1 recorded with its coverage skipped: BUG-1-COVERAGE is open. */
async function skipped(testInfo: Parameters<typeof startedBugfix>[0]) {
  const started = await startedBugfix(testInfo);
  const { project } = started;
  const recorded = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', skippedRecord(project)]);
  expect(recorded.exitCode, recorded.output).toBe(0);
  return started;
}

test('a skipped coverage opens a coverage task with a packet that passes, holding the release until cleared', async ({}, testInfo) => {
  const { project, fix } = await startedBugfix(testInfo);
  const { result, body } = await project.json([
    'review',
    'record',
    '--task',
    'BUG-1',
    '--file',
    skippedRecord(project),
  ]);
  expect(result.exitCode, result.output).toBe(0);
  expect(body).toMatchObject({ regression: null, coverageTask: { id: 'BUG-1-COVERAGE', created: true } });

  const check = await project.packgate(['packet', 'check', 'BUG-1-COVERAGE']);
  expect(check.stdout).toBe(
    'packet ok: task:BUG-1-COVERAGE: task BUG-1-COVERAGE, lane C-ops, pack auth-session in local\n',
  );
  const { body: shown } = await project.json<{
    task: { kind: string; state: string; packet: Record<string, unknown> };
  }>(['task', 'show', 'BUG-1-COVERAGE']);
  expect(shown.task).toMatchObject({ kind: 'coverage', state: 'ready' });
  expect(shown.task.packet).toMatchObject({
    kind: 'coverage',
    owner_lane: 'C-ops',
    workflow_regression_pack: 'auth-session',
    goal: 'Add the regression for BUG-1 at the api layer in auth-session: the demo deployment registered its callback without the /auth path',
    current_state: `BUG-1 fixed the bug at commit ${fix.slice(0, 12)} without a regression at the api layer: ${SKIPPED}`,
    owned_files: ['packs/auth-session/**'],
  });

  const [coverage] = (await holds(project)).filter(h => h.taskId === 'BUG-1-COVERAGE');
  expect(coverage).toMatchObject({
    pack: 'auth-session',
    reason: `no regression at the api layer for BUG-1: ${SKIPPED}`,
    active: true,
    clearedAs: null,
    task: { kind: 'coverage', state: 'ready', ownerLane: 'C-ops' },
  });
  const [event] = (
    await project.json<{ events: Array<{ kind: string; body: Record<string, unknown> }> }>(['task', 'show', 'BUG-1'])
  ).body.events.filter(e => e.kind === 'fix-record');
  expect(event.body.coverageTask).toBe('BUG-1-COVERAGE');
});

test('recording the same skipped coverage again opens no second task', async ({}, testInfo) => {
  const { project } = await skipped(testInfo);
  const again = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(again.stdout).toContain('  coverage task BUG-1-COVERAGE already open');
  expect(again.exitCode).toBe(0);
  const { body } = await project.json<{ tasks: Array<{ id: string }> }>(['task', 'list']);
  expect(body.tasks.map(t => t.id).sort()).toEqual(['BUG-1', 'BUG-1-COVERAGE']);
  expect((await holds(project)).map(h => h.taskId).sort()).toEqual(['BUG-1', 'BUG-1-COVERAGE']);
});

test('review holds: active holds by default, one task with --task, a table for a person', async ({}, testInfo) => {
  const { project } = await skipped(testInfo);
  expect((await holds(project, '--task', 'BUG-1')).map(h => h.taskId)).toEqual(['BUG-1']);
  const table = await project.packgate(['review', 'holds']);
  const lines = table.stdout.split('\n');
  expect(lines[0]).toMatch(/^TASK\s+KIND\s+STATE\s+PACK\s+SINCE\s+LANE\s+TITLE: WHY$/);
  expect(lines[1]).toMatch(
    /^BUG-1\s+bugfix\s+in_progress\s+auth-session\s+\S+\s+C-ops\s+Fix the demo callback the IdP refuses: a bug fix whose regression coverage is not accepted in review yet$/,
  );
  expect(lines[2]).toMatch(
    /^BUG-1-COVERAGE\s+coverage\s+ready\s+auth-session\s+\S+\s+C-ops\s+Add the regression for BUG-1/,
  );
  expect(lines[3]).toBe('2 active release holds');
  const unknown = await project.packgate(['review', 'holds', '--task', 'BUG-9']);
  expect(unknown.exitCode).toBe(2);
});

test('only a coordinator accepts a risk; it clears the holds until its date, and they hold again from it', async ({}, testInfo) => {
  const { project } = await skipped(testInfo);
  const args = ['review', 'accept-risk', '--task', 'BUG-1-COVERAGE', '--reason', 'verified by hand on demo'];
  const before = project.storeSnapshot();
  const refused = await project.packgate([...args, '--expires', '2099-01-31']);
  expect(refused.stderr).toBe(
    'packgate: tester may not accept a risk: only a coordinator may\n' +
      '  hint: coordinators (governance.yaml review.coordinators): coordinator, release-coordinator\n',
  );
  expect(refused.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);

  const { result, body } = await project.json([...args, '--expires', '2099-01-31', '--actor', 'coordinator']);
  expect(result.exitCode, result.output).toBe(0);
  expect(body).toMatchObject({ task: 'BUG-1-COVERAGE', expiresAt: '2099-01-31T00:00:00.000Z' });
  expect((await holds(project)).map(h => h.taskId)).toEqual(['BUG-1']);
  const [cleared] = await holds(project, '--all', '--task', 'BUG-1-COVERAGE');
  expect(cleared).toMatchObject({
    active: false,
    clearedAs: 'risk',
    clearedBy: 'coordinator',
    clearReason: 'verified by hand on demo',
    riskExpiresAt: '2099-01-31T00:00:00.000Z',
  });
  const all = await project.packgate(['review', 'holds', '--all']);
  expect(all.stdout).toMatch(/BUG-1-COVERAGE .* risk accepted by coordinator on \d{4}-\d\d-\d\d until 2099-01-31 /);
  // The cleared hold is listed, but counted apart: only BUG-1 holds the release.
  expect(all.stdout).toMatch(/\n1 active release hold, 1 cleared\n$/);
  const coverageOnly = await project.packgate(['review', 'holds', '--all', '--task', 'BUG-1-COVERAGE']);
  expect(coverageOnly.stdout).toMatch(/\nno active release holds, 1 cleared\n$/);

  // The CLI reads the real clock: the date passing is the stored expiry moving into the past.
  project.sql(
    `UPDATE release_holds SET risk_expires_at = ? WHERE task_id = ?`,
    '2000-01-01T00:00:00.000Z',
    'BUG-1-COVERAGE',
  );
  expect((await holds(project)).map(h => [h.taskId, h.active, h.clearedAs])).toEqual([
    ['BUG-1', true, null],
    ['BUG-1-COVERAGE', true, 'risk'],
  ]);
  const expired = (await project.packgate(['review', 'holds', '--all'])).stdout;
  expect(expired).toMatch(/BUG-1-COVERAGE .* risk EXPIRED by coordinator on \d{4}-\d\d-\d\d until 2000-01-01 /);
  expect(expired).toMatch(/\n2 active release holds\n$/);
});

test('accept-risk prints its reason as stored, a credential in it redacted', async ({}, testInfo) => {
  const { project } = await skipped(testInfo);
  const secret = 'Zq8-accept-risk-pw-41';
  const accepted = await project.packgate([
    'review',
    'accept-risk',
    '--task',
    'BUG-1-COVERAGE',
    '--reason',
    `checked by hand with PACKGATE_DEMO_USER_PASSWORD=${secret}`,
    '--expires',
    '2099-01-31',
    '--actor',
    'coordinator',
  ]);
  expect(accepted.exitCode, accepted.output).toBe(0);
  // Before: the store kept it redacted, but the terminal printed the password as typed.
  expect(accepted.stdout).toContain('reason: checked by hand with PACKGATE_DEMO_USER_PASSWORD=[REDACTED]\n');
  expect(accepted.output).not.toContain(secret);
});

test('accept-risk: bad dates and an empty reason are exit 2, nothing written', async ({}, testInfo) => {
  const { project } = await skipped(testInfo);
  const before = project.storeSnapshot();
  const today = new Date().toISOString().slice(0, 10);
  const cases: Array<[string[], string]> = [
    [['--expires', '2099-02-30'], 'packgate: --expires "2099-02-30" is not a date\n'],
    [['--expires', 'next week'], 'packgate: --expires "next week" is not a date\n'],
    [['--expires', '2020-01-01'], `packgate: --expires 2020-01-01 is not after today (`],
    [['--expires', today], `packgate: --expires ${today} is not after today (${today}, UTC)\n`],
    [['--expires', '2099-01-31', '--reason', ' '], 'packgate: --reason is empty: say why the risk is accepted\n'],
  ];
  for (const [flags, stderr] of cases) {
    const result = await project.packgate([
      'review',
      'accept-risk',
      '--task',
      'BUG-1-COVERAGE',
      '--reason',
      'verified by hand',
      '--actor',
      'coordinator',
      ...flags,
    ]);
    expect(result.stderr, flags.join(' ')).toContain(stderr);
    expect(result.exitCode, flags.join(' ')).toBe(2);
  }
  const { result, body } = await project.json([
    'review',
    'accept-risk',
    '--task',
    'BUG-9',
    '--reason',
    'x',
    '--expires',
    '2099-01-01',
    '--actor',
    'coordinator',
  ]);
  expect(result.exitCode).toBe(2);
  expect(body).toMatchObject({ ok: false, error: { code: 'TASK_UNKNOWN' } });
  expect(project.storeSnapshot()).toEqual(before);
});
