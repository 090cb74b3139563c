import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { expect, test, type TestInfo } from '@playwright/test';
import { needlesOf, scanForSecrets, scanText, type ScanHit, type ScanSecret } from '../../src/evidence/scan.ts';
import { ISSUED_SECRETS_VAR } from '../../stack/issued-secrets.ts';
import { startDashboardCli } from '../helpers/dashboard-server.ts';
import { TempProject, type RunResult } from '../helpers/temp-project.ts';
import { SECRET_KINDS } from '../helpers/secret-kinds.ts';

/**
 * Canaries: credentials of seven kinds, planted in a real gate run against the reference stack, then
 * searched for in everything the run publishes (gate-results, test-results, the HTML report),
 * unpacked recursively and in five encodings. Their values come from outside the redactor: the
 * password and client secret are chosen here and given through the env vars the environment names;
 * codes, verifiers, tokens and session cookies are what the stack recorded issuing
 * (PACKGATE_STACK_RECORD_ISSUED). A second run with redaction off proves the canaries do land in the
 * artifacts, so zero hits means redaction removed them.
 */

/** The stack's names for what it issued, as the seven canary kinds. */
const KIND_OF: Record<string, string> = {
  password: 'password',
  'client-secret': 'client-secret',
  'session-cookie': 'session-cookie',
  'idp-session-cookie': 'session-cookie',
  'access-token': 'access-token',
  'id-token': 'access-token',
  'authorization-code': 'authorization-code',
  'code-verifier': 'code-verifier',
  'refresh-token': 'refresh-token',
};

/**
 * A pack whose one browser test plants every kind, then fails, so its retry is traced: the worker's
 * signed-in page (the session cookie); a second sign-in through the IdP's form recorded as a HAR zip
 * and attached (an archive inside the trace, holding the typed password, the code and the cookies);
 * the code flow over HTTP as the confidential client (client secret in HTTP Basic, code verifier,
 * access, ID and refresh tokens); and an error message quoting the callback URL (code and state).
 */
const CANARY_PACK = {
  'packs/canary-leak/pack.yaml': `id: canary-leak
title: Canary leak
journey: Handles every kind of credential, then fails, so its traces keep all of them.
owner: test-lane
required_proof: nothing; it exists to be redacted
policy: { dev: blocking }
lowest_reliable_layer: browser
layers: [browser]
seeds: [core]
identity: ada
artifacts: [trace, screenshot, correlation-id]
depends_on: []
time_budget_s: 60
paths:
  shell: /shell
selectors:
  username: '#username'
  password: '#password'
  submit: '#kc-login'
`,
  'packs/canary-leak/browser.spec.ts': `import { expect, test } from '../../fixtures/index.ts';

test('handles every kind of credential, then fails', async ({ page, pack, browser, api, oidc, env }, info) => {
  await page.goto(pack.url('shell'));

  const har = info.outputPath('sign-in.har.zip');
  const context = await browser.newContext({ recordHar: { path: har } });
  const signIn = await context.newPage();
  let callback = '';
  signIn.on('request', r => {
    if (r.url().startsWith(env.oidc.redirectUri)) callback = r.url();
  });
  await signIn.goto(env.urls.app + env.oidc.loginPath);
  await signIn.fill(pack.selector('username'), pack.identity().username);
  await signIn.fill(pack.selector('password'), env.secrets.get(pack.identity().passwordSecret));
  await signIn.click(pack.selector('submit'));
  await signIn.waitForURL(url => url.pathname === '/shell');
  await context.close();
  await info.attach('sign-in-har', { path: har, contentType: 'application/zip' });

  const request = await oidc.authorizationRequest();
  const credentials = {
    username: pack.identity().username,
    password: env.secrets.get(pack.identity().passwordSecret),
  };
  let url = request.url.href;
  for (let hop = 0; hop < 10 && !url.startsWith(env.oidc.redirectUri); hop++) {
    let response = await api.get(url);
    // The IdP's form: submitted as the browser would.
    if (response.status() === 200) response = await api.post(url, { form: credentials });
    const location = response.headers()['location'];
    expect(location, 'the IdP redirects on the way to the callback').toBeTruthy();
    url = new URL(location, url).href;
  }
  const code = new URL(url).searchParams.get('code')!;
  const discovery = await oidc.discovery();
  const clientSecret = env.secrets.get(env.oidc.clientSecretName!);
  const basic = 'Basic ' + Buffer.from(env.oidc.clientId + ':' + clientSecret).toString('base64');
  const exchange = await api.post(discovery.token_endpoint, {
    headers: { authorization: basic },
    form: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: request.redirectUri,
      code_verifier: request.codeVerifier,
    },
  });
  const tokens = await exchange.json();
  const bearer = { authorization: 'Bearer ' + tokens.access_token };
  await api.get(String(discovery.userinfo_endpoint), { headers: bearer });
  await api.post(discovery.token_endpoint, {
    headers: { authorization: basic },
    form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
  });

  expect(callback, 'made to fail, quoting the sign-in callback with its code and state').toBe('');
});
`,
};

/** Builds the Allure 3 report of the last run (npm run report:allure), for the scan to cover. */
async function buildAllureReport(project: TempProject): Promise<void> {
  const built = await project.packgate(['report', 'allure']);
  expect(built.exitCode, built.output).toBe(0);
  expect(project.exists('gate-results/allure-report/index.html'), 'the Allure report was built').toBe(true);
}

/**
 * Every artifact folder a run publishes, scanned (gate-results holds JUnit XML, the Allure results
 * and the Allure report); plus what the run printed.
 */
function scanEverything(project: TempProject, result: RunResult, canaries: ScanSecret[]) {
  const hits: ScanHit[] = [];
  const unreadable: string[] = [];
  for (const folder of ['gate-results', 'test-results', 'playwright-report']) {
    const scan = scanForSecrets(path.join(project.dir, folder), canaries);
    hits.push(...scan.hits.map(h => ({ ...h, path: `${folder}/${h.path}` })));
    unreadable.push(...scan.unreadable.map(u => `${folder}/${u}`));
  }
  // All of it: the printing reporter's failure details (errors quoting a callback URL) as well as the gate's table.
  hits.push(...scanText(result.stdout, "(the run's stdout)", canaries));
  return { hits, unreadable };
}

/**
 * Everything the dashboard serves of the runs the project's store recorded, saved under `dir`: the
 * pages, the API's JSON, every evidence file the run pages link (traces and screenshots among them)
 * and every file of each run's Allure report. Returns the URLs fetched.
 */
async function fetchThroughDashboard(project: TempProject, dir: string): Promise<string[]> {
  const dashboard = await startDashboardCli(project, ['--port', '0']);
  const fetched: string[] = [];
  const get = async (url: string): Promise<string> => {
    const response = await fetch(new URL(url, dashboard.url));
    expect(response.status, url).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${fetched.length}-${url.replace(/[^\w.-]/g, '_').slice(-80)}`), body);
    fetched.push(url);
    return body.toString('utf8');
  };
  try {
    for (const page of ['/', '/trends', '/runs', '/queue', '/health']) await get(page);
    const { runs } = JSON.parse(await get('/api/runs')) as { runs: Array<{ id: number }> };
    for (const { id } of runs) {
      const detail = JSON.parse(await get(`/api/runs/${id}`)) as { run: { evidence: Array<{ path: string }> } };
      const links = [...(await get(`/runs/${id}`)).matchAll(/(?:href|src)="(\/(?:evidence|allure)\/[^"]+)"/g)].map(m =>
        m[1].replaceAll('&amp;', '&'),
      );
      const report = detail.run.evidence
        .filter(e => e.path.startsWith('allure-report/'))
        .map(
          e => `/allure/${id}/${e.path.slice('allure-report/'.length).split('/').map(encodeURIComponent).join('/')}`,
        );
      for (const url of new Set([...links, ...report])) await get(url);
    }
  } finally {
    await dashboard.stop();
  }
  return fetched;
}

/** What the stack recorded issuing, as canaries (none when the stack never started). */
function issued(file: string): ScanSecret[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line) as { kind: string; value: string })
    .filter(({ kind }) => KIND_OF[kind])
    .map(({ kind, value }) => ({ kind: KIND_OF[kind], value }));
}

/** Fails unless there is a canary of each of the seven kinds: a run without them would prove nothing. */
function expectEveryKind(canaries: ScanSecret[]): void {
  expect(new Set(canaries.map(c => c.kind)), 'the stack issued a canary of each kind').toEqual(new Set(SECRET_KINDS));
}

/** Run output with every canary, in every encoding, masked: test output never prints a secret. */
function masked(text: string, canaries: ScanSecret[]): string {
  let out = Buffer.from(text, 'utf8').toString('latin1');
  for (const needle of canaries.flatMap(needlesOf)) out = out.split(needle.bytes).join(`<${needle.kind}>`);
  return Buffer.from(out, 'latin1').toString('utf8');
}

/** A temp project with the canary pack and Playwright's HTML report written after the gate (so the gate's last sweep covers it). */
async function canaryProject(testInfo: TestInfo): Promise<TempProject> {
  const project = await TempProject.create(testInfo, CANARY_PACK);
  project.edit('playwright.config.ts', config =>
    config.replace('reporter: gate.reporters,', "reporter: [...gate.reporters, ['html', { open: 'never' }]],"),
  );
  expect(project.read('playwright.config.ts')).toContain("['html', { open: 'never' }]");
  return project;
}

/** A local (embedded, dev) gate run of the canary pack; the stack it starts records what it issues. */
async function localCanaryRun(project: TempProject, testInfo: TestInfo, env: Record<string, string> = {}) {
  const record = testInfo.outputPath(`issued-${Date.now()}.jsonl`);
  const result = await project.playwright(['--project=local-browser', 'packs/canary-leak/'], {
    PACKGATE_LOCAL_USER_PASSWORD: `Canary-Pw-${Date.now()} "q/+&ü`,
    PACKGATE_LOCAL_CLIENT_SECRET: `Canary-Client-Secret-${Date.now()}`,
    [ISSUED_SECRETS_VAR]: record,
    ...env,
  });
  return { result, canaries: issued(record) };
}

test('redaction on: no canary of the seven kinds in any artifact, nested archives and the HTML report included', async ({}, testInfo) => {
  test.setTimeout(240_000);
  const project = await canaryProject(testInfo);

  // 1. Remote-style, like the leak first reported: a deployment's descriptor (demo) pointed at a
  // stack whose app fails the sign-in at its callback (callback-500); the sign-in is retried and the
  // retry traced. Turning redaction off is asked for and must be refused for a release stage.
  const password = `Remote-Canary-${Date.now()} "q/+&ü`;
  const remoteRecord = testInfo.outputPath('issued-remote.jsonl');
  const stack = await project.startStack({
    PACKGATE_STACK_FAULTS: 'callback-500',
    PACKGATE_LOCAL_USER_PASSWORD: password,
    [ISSUED_SECRETS_VAR]: remoteRecord,
  });
  let remote: RunResult;
  try {
    remote = await project.playwright(['--project=demo-remote', 'packs/auth-session/'], {
      PACKGATE_DEMO_APP_URL: project.env.PACKGATE_LOCAL_APP_URL,
      PACKGATE_DEMO_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL,
      PACKGATE_DEMO_USER_PASSWORD: password,
      PACKGATE_ALLOW_HTTP: '1',
      PACKGATE_REDACTION: 'off',
    });
  } finally {
    // Gone before the next run starts a stack on the same ports.
    if (stack.exitCode === null) {
      const exited = new Promise(resolve => stack.once('exit', resolve));
      stack.kill('SIGTERM');
      await exited;
    }
  }
  const remoteCanaries = issued(remoteRecord);
  expect(remote.exitCode, masked(remote.output, remoteCanaries)).toBe(1);
  // The app redeemed the code before failing: the stack issued every kind here too.
  expectEveryKind(remoteCanaries);
  const remoteVerdict = project.verdict();
  expect(remoteVerdict.problems.map(p => p.message)).toContainEqual(
    expect.stringContaining('PACKGATE_REDACTION=off was refused'),
  );
  const signIn = remoteVerdict.packs.find(p => p.id === 'auth-session')!;
  expect(signIn.reason).toContain('sign-in failed at step "app-accepted-callback"');
  expect(
    signIn.evidence.files.some(f => f.endsWith('trace.zip')),
    'the retried sign-in was traced',
  ).toBe(true);
  await buildAllureReport(project);
  expect(scanEverything(project, remote, remoteCanaries)).toEqual({ hits: [], unreadable: [] });

  // 2. Embedded: the canary pack handles all seven kinds and fails; its retry's trace holds a HAR
  // zip of a second sign-in, and the HTML report embeds the run's data as a base64 zip.
  const local = await localCanaryRun(project, testInfo);
  expect(local.result.exitCode, masked(local.result.output, local.canaries)).toBe(1);
  expectEveryKind(local.canaries);
  const pack = project.verdict().packs.find(p => p.id === 'canary-leak')!;
  expect(pack).toMatchObject({ status: 'FAIL' });
  const trace = pack.evidence.files.find(f => f.endsWith('trace.zip'));
  expect(trace, 'the failing retry kept its trace').toBeTruthy();
  const nested = Object.values(unzipSync(fs.readFileSync(path.join(project.dir, 'gate-results', trace!)))).filter(
    bytes => bytes[0] === 0x50 && bytes[1] === 0x4b,
  );
  expect(nested.length, 'the trace holds an archive of its own (the attached HAR zip)').toBeGreaterThan(0);
  expect(project.exists('playwright-report/index.html'), 'the HTML report was written').toBe(true);
  await buildAllureReport(project);
  expect(scanEverything(project, local.result, local.canaries)).toEqual({ hits: [], unreadable: [] });

  // 3. The same two runs through the dashboard: recorded in the project's store by the gate, their
  // Allure reports added by `packgate report allure`; every page, API answer, linked evidence file
  // and report file it serves, scanned for both runs' canaries.
  const served = testInfo.outputPath('through-dashboard');
  const fetched = await fetchThroughDashboard(project, served);
  expect(
    fetched.filter(url => /^\/runs\/\d+$/.test(url)),
    'both runs are in the store',
  ).toHaveLength(2);
  expect(
    fetched.some(url => /^\/evidence\/\d+\/.*trace\.zip$/.test(url)),
    'a trace, through the dashboard',
  ).toBe(true);
  expect(
    fetched.some(url => /^\/allure\/\d+\/index\.html$/.test(url)),
    'an Allure report, through the dashboard',
  ).toBe(true);
  expect(scanForSecrets(served, [...remoteCanaries, ...local.canaries])).toMatchObject({ hits: [], unreadable: [] });
});

test('redaction off (embedded dev only): the same run publishes every kind, so zero hits above is redaction', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const project = await canaryProject(testInfo);
  const { result, canaries } = await localCanaryRun(project, testInfo, { PACKGATE_REDACTION: 'off' });
  expect(result.exitCode, masked(result.output, canaries)).toBe(1);
  expectEveryKind(canaries);
  expect(project.verdict().problems.map(p => p.message)).toContainEqual(
    expect.stringMatching(/^REDACTION IS OFF \(PACKGATE_REDACTION=off\)/),
  );
  const { hits } = scanEverything(project, result, canaries);
  expect(new Set(hits.map(h => h.kind)), 'every kind leaked').toEqual(new Set(SECRET_KINDS));
  expect(
    hits.some(h => h.path.split('!').length >= 3),
    'a leak inside an archive inside an archive (the HAR zip in the trace)',
  ).toBe(true);
  expect(
    hits.some(h => h.path.startsWith('playwright-report/index.html!')),
    'a leak inside the HTML report',
  ).toBe(true);
  expect(
    hits.some(h => h.path.startsWith('gate-results/allure-results/')),
    'a leak inside the Allure results',
  ).toBe(true);
  await buildAllureReport(project);
  expect(
    scanEverything(project, result, canaries).hits.some(h => h.path.startsWith('gate-results/allure-report/')),
    'a leak inside the Allure report',
  ).toBe(true);
  // And the dashboard serves them: zero hits through it above is redaction too.
  const served = testInfo.outputPath('through-dashboard');
  await fetchThroughDashboard(project, served);
  const throughDashboard = scanForSecrets(served, canaries).hits;
  expect(new Set(throughDashboard.map(h => h.kind)), 'every kind leaked through the dashboard').toEqual(
    new Set(SECRET_KINDS),
  );
  expect(
    throughDashboard.some(h => /^\d+-_allure_/.test(h.path)),
    'a leak inside the Allure report it serves',
  ).toBe(true);
});
