import { expect, test } from '@playwright/test';
import { refusingPack } from '../helpers/refusing-pack.ts';
import { TempProject } from '../helpers/temp-project.ts';

test('the verdict counts the refusals each pack proved, and says why of each one it did not', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, refusingPack());
  // A refusal whose test passes asserting nothing: the gate counts that test failed, and the refusal
  // with it (before: proven, beside a test counted failed).
  project.edit(
    'packs/refusing/pack.yaml',
    text =>
      `${text}  - id: asserts-nothing\n    as: no-session\n    action: GET me\n    status: 401\n    unchanged: nothing\n`,
  );
  project.edit(
    'packs/refusing/api.spec.ts',
    text =>
      `${text}\ntest('a refusal whose test asserts nothing', refuses('asserts-nothing'), async ({ api, env }) => {\n` +
      "  await api.get(env.urls.api + '/v1/me');\n});\n",
  );
  project.edit('packs/refusing/tests.yaml', text =>
    text.replace('remote.spec.ts:', '  - a refusal whose test asserts nothing\nremote.spec.ts:'),
  );
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  const result = await project.playwright(['--project=local-api', '--retries=0', 'packs/refusing/']);
  expect(result.exitCode, result.output).toBe(1);
  const pack = project.verdict().packs.find(p => p.id === 'refusing')!;
  expect(pack.status).toBe('FAIL');
  expect(pack.tests).toMatchObject({ total: 5, passed: 2, failed: 2, skipped: 1 });
  expect(pack.notApplicable).toEqual(['persona grace has no account in environment local']);
  expect(pack.refusals).toEqual([
    { id: 'no-session-me', status: 'proven', tests: ['api: a request without a session is refused'] },
    { id: 'made-to-fail', status: 'failed', tests: ['api: a refusal whose test fails'] },
    {
      id: 'skipped-here',
      status: 'not-applicable',
      tests: ['api: a refusal whose test skips'],
      why: 'no expired session can be made here',
    },
    // Its test passed without asserting, saying why it does not apply: not proven, and not a failure.
    {
      id: 'no-account-here',
      status: 'not-applicable',
      tests: ['api: a refusal whose test finds it does not apply here'],
      why: 'persona grace has no account in environment local',
    },
    // Proven at the remote layer only: a local run never counts it, and says so.
    { id: 'remote-only', status: 'not-applicable', tests: [], why: 'no test of it runs at the layers run here (api)' },
    {
      id: 'asserts-nothing',
      status: 'failed',
      tests: ['api: a refusal whose test asserts nothing'],
      why: 'its test asserted nothing: a test passes the gate only when it checked something (call expect)',
    },
  ]);
  // The packs this run did not select prove none of theirs; the printed verdict does not list them.
  const others = project.verdict().packs.filter(p => p.id !== 'refusing');
  expect(others.flatMap(p => p.refusals).length).toBeGreaterThan(0);
  expect(
    others.every(p =>
      p.refusals.every(r => r.status === 'not-run' && r.why === 'the pack was not selected by this run'),
    ),
  ).toBe(true);
  expect(result.stdout).not.toMatch(/^ {2}refusal (?!refusing\/)/m);

  // The table and summary.md count them per pack and list each one not proven, with why.
  expect(result.stdout).toMatch(/PACK +POLICY +STATUS +TESTS +REFUSALS +REASON/);
  expect(result.stdout).toMatch(/refusing +blocking +x FAIL +2\/5 +1\/6 /);
  expect(result.stdout).toContain('refusal refusing/made-to-fail failed\n');
  expect(result.stdout).toContain(
    'refusal refusing/remote-only not-applicable: no test of it runs at the layers run here (api)\n',
  );
  const summary = project.read('gate-results/summary.md');
  expect(summary).toContain('| Pack | Owner | Policy | Status | Tests | Refusals proven | Reason |');
  expect(summary).toMatch(/\| refusing \| test-lane \| blocking \| FAIL \(blocks\) \| 2\/5 \| 1\/6 \| /);
  expect(summary).toContain('- refusal refusing/skipped-here not-applicable: no expired session can be made here\n');
  // The evidence keeps what the test's own test.skip() said, for the dashboard's Reason (before: nothing).
  const evidence = JSON.parse(project.read('gate-results/evidence/refusing/evidence.json')) as {
    tests: Array<{ title: string; lastStatus: string; skipReason?: string }>;
  };
  expect(evidence.tests.filter(t => t.lastStatus === 'skipped' || t.skipReason)).toEqual([
    expect.objectContaining({
      title: 'a refusal whose test skips',
      lastStatus: 'skipped',
      skipReason: 'no expired session can be made here',
    }),
  ]);
});

test('a passing test of a refusal that saw none of the statuses its pack declares fails, naming both', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, refusingPack());
  // The product answers 401; pack.yaml says 403 and the test asserts what the product does. Before,
  // the refusal counted as proven of a status the product never gave.
  project.edit(
    'packs/refusing/pack.yaml',
    text =>
      `${text}  - id: declared-otherwise\n    as: no-session\n    action: GET me\n    status: 403\n    unchanged: nothing\n`,
  );
  project.edit(
    'packs/refusing/api.spec.ts',
    text =>
      `${text}\ntest('a refusal asserted with another status', refuses('declared-otherwise'), async ({ api, pack }) => {\n` +
      "  expect((await api.get(pack.url('me'))).status()).toBe(401);\n});\n",
  );
  project.edit('packs/refusing/tests.yaml', text =>
    text.replace('remote.spec.ts:', '  - a refusal asserted with another status\nremote.spec.ts:'),
  );
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  const result = await project.playwright(['--project=local-api', '--retries=0', 'packs/refusing/']);
  expect(result.exitCode, result.output).toBe(1);
  expect(result.output).toContain(
    'refusal "declared-otherwise" declares GET me answered 403, but this test\'s GET me request was answered 401',
  );
  expect(result.output).toContain("correct the refusal's status: in packs/refusing/pack.yaml");
  const refusals = project.verdict().packs.find(p => p.id === 'refusing')!.refusals;
  expect(refusals.find(r => r.id === 'declared-otherwise')).toMatchObject({ status: 'failed' });
  // A test that saw a declared status among its answers (401 of [401]) still proves its refusal.
  expect(refusals.find(r => r.id === 'no-session-me')).toMatchObject({ status: 'proven' });
});
