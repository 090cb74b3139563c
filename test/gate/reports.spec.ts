import path from 'node:path';
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions, findChromium, noBrowserError } from '../../src/browser/chromium.ts';
import { parseJunit } from '../../src/gate/junit-report.ts';
import { labelsByTest, stepsWhere } from '../helpers/allure-labels.ts';
import { startDashboardCli } from '../helpers/dashboard-server.ts';
import { inlinePack } from '../helpers/inline-pack.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * The reports people already use, fed by a real gate run: JUnit XML for CI systems, Allure results
 * labelled from the packs, and the Allure 3 report `packgate report allure` (npm run report:allure)
 * builds from them. Redaction of what they hold is the canary test's job (test/gate/canary.spec.ts).
 */

/** The built report's quality gate, as Allure writes it for its Quality Gates tab: results by environment. */
type QualityGate = Record<string, Array<{ rule: string; success: boolean; actual: string; message: string }>>;

// The BLOCKED run's report is opened through the dashboard in Chromium.
const chromium = findChromium();
if (!chromium) throw noBrowserError();
test.use({ launchOptions: chromiumLaunchOptions(chromium, { headless: true }) });

test('JUnit XML and Allure results labelled from the packs; report allure: the verdict as quality gate, stored with its run, on its run page', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const project = await TempProject.create(testInfo);
  const results = path.join(project.dir, 'gate-results/allure-results');

  const early = await project.packgate(['report', 'allure']);
  expect(early.exitCode, early.output).toBe(2);
  expect(early.stderr).toContain('no Allure results in');
  expect(early.stderr).toContain('set `reports: { allure: true }` in packgate.yaml and run the gate');

  // auth-session blocks on dev, demo-deploy only advises there: two severities.
  const run = await project.playwright(['--project=local-api', 'packs/auth-session/', 'packs/demo-deploy/'], {
    TASK_ID: 'T-REPORTS-1',
  });
  expect(run.exitCode, run.output).toBe(0);
  const verdict = project.verdict();
  const ran = verdict.packs.reduce((n, p) => n + p.tests.total, 0);
  expect(ran).toBe(15);

  // Both reports hold the run's every test: the packs', and the sign-in setup's (one per persona the
  // run's packs sign in as: auth-session's identity alone).
  const setups = ['sign in as ada'];
  const junit = project.read('gate-results/junit.xml');
  expect(junit.match(/<testcase /g)).toHaveLength(ran + setups.length);
  expect(junit).toContain('<testsuite name="packs/auth-session/api.spec.ts"');
  expect(junit).toContain('<testsuite name="fixtures/sign-in.setup.ts"');

  const labels = labelsByTest(results, /-result\.json$/);
  expect([...labels.keys()]).toEqual(expect.arrayContaining(setups));
  expect(labels.size).toBe(ran + setups.length);
  // A passing run shows no failed step (the sign-in's waits for what the IdP may show end with it),
  // and no step made of an annotation without words (the sign-in setup's serial mark).
  const failed = (step: { status?: string }) => step.status === 'failed' || step.status === 'broken';
  expect(stepsWhere(results, /-result\.json$/, failed)).toEqual([]);
  expect(stepsWhere(results, /-result\.json$/, step => step.name.endsWith(': undefined'))).toEqual([]);
  const signIn = labels.get("authorize accepts the app's registered callback")!;
  expect(signIn).toMatchObject({
    epic: ['Auth and session'],
    feature: ['auth-session'],
    pack: ['auth-session'],
    owner: ['C-ops'],
    severity: ['blocker'],
    layer: ['api'],
    task: ['T-REPORTS-1'],
  });
  expect(signIn.tag).toEqual(expect.arrayContaining(['env:local', 'stage:dev', 'layer:api', 'task:T-REPORTS-1']));
  expect(labels.get('the app host answers its health check')).toMatchObject({
    feature: ['demo-deploy'],
    severity: ['normal'],
    policy: ['advisory'],
  });
  expect(project.exists('allure-results'), 'nothing written outside the gate folder').toBe(false);

  const built = await project.packgate(['report', 'allure']);
  expect(built.exitCode, built.output).toBe(0);
  expect(built.stdout).toContain('Allure report: gate-results/allure-report/index.html');
  expect(built.stdout).toContain(`Quality gate: the gate's verdict, ${verdict.verdict}`);
  // TASK_ID names no task of the store: the run was not recorded, so neither is its report.
  expect(built.stdout).toContain('Queue store: no gate run recorded from this folder; the report is not in the store');
  expect(project.exists('gate-results/allure-report/index.html')).toBe(true);
  // The verdict as the report's quality gate: a rule for the verdict, one per pack, none failed.
  const passGate = JSON.parse(project.read('gate-results/allure-report/widgets/quality-gate.json')) as QualityGate;
  expect(Object.values(passGate).flat()).toEqual([
    expect.objectContaining({ rule: 'packgate verdict', success: true, actual: verdict.verdict }),
    ...verdict.packs
      .filter(p => p.status !== 'NOT_SELECTED')
      .map(p => expect.objectContaining({ rule: `packgate pack ${p.id}`, success: true, actual: p.status })),
  ]);
  const summary = JSON.parse(project.read('gate-results/allure-report/summary.json')) as {
    name: string;
    stats: { total: number; passed: number };
  };
  const all = ran + setups.length;
  expect(summary).toMatchObject({ name: `gpuaas · local · ${verdict.verdict}`, stats: { total: all, passed: all } });
  // The report's tree: a node per pack (its title), then its layer; the sign-in setup at the top.
  const tree = JSON.parse(project.read('gate-results/allure-report/widgets/tree.json')) as {
    root: { groups: string[]; leaves: string[] };
    groupsById: Record<string, { name: string; groups?: string[] }>;
  };
  const packNodes = tree.root.groups.map(id => tree.groupsById[id]);
  expect(packNodes.map(g => g.name).sort()).toEqual(['Auth and session', 'Deployed hosts smoke']);
  for (const node of packNodes) expect(node.groups!.map(id => tree.groupsById[id].name)).toEqual(['api']);
  expect(tree.root.leaves).toHaveLength(setups.length);
  const reported = labelsByTest(path.join(project.dir, 'gate-results/allure-report/data/test-results'), /\.json$/);
  expect(reported.get("authorize accepts the app's registered callback")).toMatchObject({
    pack: ['auth-session'],
    owner: ['C-ops'],
    severity: ['blocker'],
  });
  expect(reported.get('the auth host answers its health check')).toMatchObject({
    pack: ['demo-deploy'],
    owner: ['C-ops'],
    severity: ['normal'],
  });

  // The next run starts from an empty folder: its reports hold its own tests only. The IdP refuses
  // the app's callback, so auth-session (blocking on dev) fails and the run is BLOCKED.
  const again = await project.playwright(['--project=local-api', 'packs/auth-session/'], {
    PACKGATE_STACK_FAULTS: 'callback-unregistered',
  });
  expect(again.exitCode, again.output).toBe(1);
  expect(new Set([...labelsByTest(results, /-result\.json$/).values()].map(l => l.pack?.[0]))).toEqual(
    new Set(['auth-session', undefined]), // and its sign-in setup, labelled by no pack
  );
  expect(project.exists('gate-results/allure-report'), "the last run's report went with its results").toBe(false);
  const blocked = project.verdict();
  const failedSignIn = blocked.packs.find(p => p.id === 'auth-session')!;
  expect(blocked.verdict).toBe('BLOCKED');
  expect(failedSignIn).toMatchObject({ status: 'FAIL', blocks: true });

  const report = await project.packgate(['report', 'allure', '--json']);
  expect(report.exitCode, report.output).toBe(0);
  const json = JSON.parse(report.stdout) as { qualityGate: string; store: { status: string; runId: number } };
  expect(json).toMatchObject({
    ok: true,
    report: 'gate-results/allure-report/index.html',
    qualityGate: 'BLOCKED',
    store: { status: 'added' },
  });
  const blockedGate = Object.values(
    JSON.parse(project.read('gate-results/allure-report/widgets/quality-gate.json')) as QualityGate,
  ).flat();
  expect(blockedGate).toEqual([
    expect.objectContaining({
      rule: 'packgate verdict',
      success: false,
      actual: 'BLOCKED',
      message: expect.stringContaining('blocked by auth-session'),
    }),
    expect.objectContaining({
      rule: 'packgate pack auth-session',
      success: false,
      message: `Auth and session (auth-session): FAIL, blocks the release: ${failedSignIn.reason}`,
    }),
  ]);
  const rebuilt = await project.packgate(['report', 'allure']);
  expect(rebuilt.stdout).toContain(`Queue store: gate run #${json.store.runId} keeps the report first built for it`);

  // The dashboard: the run's page lists the pack's tests and links its report, which shows the
  // verdict under Quality Gates; nothing is fetched from anywhere but the dashboard (Allure's
  // analytics tag included).
  const dashboard = await startDashboardCli(project, ['--port', '0']);
  try {
    // Every request that left the dashboard, and what became of it.
    const outside: string[] = [];
    const fromDashboard = (url: string) => url.startsWith(dashboard.url) || url.startsWith('data:');
    page.on('requestfinished', r => void (fromDashboard(r.url()) || outside.push(`${r.url()}: loaded`)));
    page.on(
      'requestfailed',
      r => void (fromDashboard(r.url()) || outside.push(`${r.url()}: ${r.failure()?.errorText}`)),
    );
    await page.goto(new URL(`/runs/${json.store.runId}`, dashboard.url).href);
    // The report stored with the run is no subject of its attestation, and does not disturb it.
    await expect(page.locator('.verification')).toContainText('files match the attestation');
    const tests = page.getByRole('table', { name: 'Tests of auth-session' });
    await expect(tests).toContainText("authorize accepts the app's registered callback");
    // The sign-in setup failed (its pack's tests never started): its project, outcome and reason.
    const setup = tests
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'sign in as ada', exact: true }) });
    for (const shown of ['local-sign-in', 'unexpected', 'sign-in failed at step'])
      await expect(setup).toContainText(shown);
    // A test of the pack that never started says why, from the pack's record: the setup's failure.
    const notRun = tests.getByRole('row').filter({ hasText: 'not-run' });
    await expect(notRun.first()).toContainText(
      'the sign-in setup failed (local-sign-in › sign in as ada: sign-in failed',
    );
    await page.getByRole('link', { name: 'Allure report' }).click();
    await expect(page).toHaveURL(new RegExp(`/allure/${json.store.runId}/index\\.html`));
    // The API links it as the page does.
    const detail = (await (await fetch(new URL(`/api/runs/${json.store.runId}`, dashboard.url))).json()) as {
      reportUrl: string | null;
    };
    expect(new URL(detail.reportUrl!, dashboard.url).href).toBe(page.url());
    await page.getByText('Quality Gates', { exact: false }).first().click();
    await expect(page.getByText('packgate verdict')).toBeVisible();
    await expect(page.getByText(/blocked by auth-session/)).toBeVisible();
    await expect(page.getByText('packgate pack auth-session')).toBeVisible();
    await expect(page.getByText('Auth and session (auth-session): FAIL, blocks the release')).toBeVisible();
    // Allure writes a Google Analytics tag into every report; the report's policy refuses it, as anything outside.
    expect(outside.some(o => o.startsWith('https://www.googletagmanager.com/'))).toBe(true);
    expect(
      outside.filter(o => !o.endsWith(': csp')),
      'nothing loads from outside the dashboard',
    ).toEqual([]);
  } finally {
    await dashboard.stop();
  }
});

test('reports follow packgate.yaml: none written when turned off', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packgate.yaml', text => text.replace(/^reports: .*$/m, 'reports: { junit: false, allure: false }'));
  expect(project.read('packgate.yaml')).toContain('reports: { junit: false, allure: false }');
  const run = await project.playwright(['--project=local-api', 'packs/demo-deploy/']);
  expect(run.exitCode, run.output).toBe(0);
  expect(project.exists('gate-results/verdict.json')).toBe(true);
  expect(project.exists('gate-results/junit.xml')).toBe(false);
  expect(project.exists('gate-results/allure-results')).toBe(false);
});

test("redaction keeps the JUnit XML readable: a credential printed at the end of a test's output leaves its CDATA closed", async ({}, testInfo) => {
  // Playwright's JUnit writes a test's output as <![CDATA[...]]>, the end on the output's last line:
  // a credential pattern reaching to the end of that line took the ]]> with the value.
  const project = await TempProject.create(
    testInfo,
    inlinePack({
      id: 'prints-credentials',
      policy: { dev: 'advisory' },
      layer: 'api',
      body: `process.stdout.write('connecting with DB_PASSWORD=' + 'hunter2-' + 'xyz');
  expect(env.name).toBe('local');`,
    }),
  );
  const run = await project.playwright(['--project=local-api', 'packs/prints-credentials/']);
  expect(run.exitCode, run.output).toBe(0);
  const junit = project.read('gate-results/junit.xml');
  expect(junit).toContain('<![CDATA[connecting with DB_PASSWORD=[REDACTED]]]>');
  expect(junit).not.toContain('hunter2-xyz');
  const read = parseJunit(junit, 'gate-results/junit.xml');
  expect(read.ok ? read.tests : read.problem).toBe(1);
});
