import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { queueHealthReportSchema, type QueueHealthReport } from '../../src/coordinator/queue-health-report.ts';
import { changeStampSchema, ENDPOINTS } from '../../src/dashboard/api-schemas.ts';
import { releaseViewSchema, taskPageSchema, trendsSchema } from '../../src/store/dashboard-schema.ts';
import { openStore, postgresUrl } from '../../src/store/open.ts';
import { seedDashboard, XSS, XSS_FILE, type Seeded } from '../helpers/dashboard-seed.ts';
import { rawRequest, startDashboardCli } from '../helpers/dashboard-server.ts';
import { postgresAvailability, REQUIRE_POSTGRES_VAR, startPostgres } from '../helpers/postgres.ts';
import { TempProject } from '../helpers/temp-project.ts';

test.describe.configure({ timeout: 120_000 });

/**
 * The store as written: the database file's bytes and whether its write-ahead log holds any frame.
 * (A reader of a WAL database may create an empty -wal and the -shm index; no write lands anywhere else.)
 */
function storeDigest(dir: string): string {
  const wal = path.join(dir, 'queue.db-wal');
  const walBytes = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
  return `${createHash('sha256')
    .update(fs.readFileSync(path.join(dir, 'queue.db')))
    .digest('hex')} wal ${walBytes}`;
}

async function seededProject(testInfo: Parameters<Parameters<typeof test>[2]>[1]): Promise<{
  project: TempProject;
  seeded: Seeded;
  storeDir: string;
}> {
  const project = await TempProject.create(testInfo);
  const storeDir = path.join(project.dir, '.packgate');
  const location = { kind: 'sqlite' as const, path: path.join(storeDir, 'queue.db') };
  const seeded = await seedDashboard(options => openStore(location, options), testInfo.outputPath('runs'));
  return { project, seeded, storeDir };
}

test('the API answers what the store holds, validated and documented; writes are refused and nothing is written', async ({}, testInfo) => {
  const { project, seeded, storeDir } = await seededProject(testInfo);
  const keyFile = testInfo.outputPath('attest.pub');
  fs.writeFileSync(keyFile, seeded.publicKey.export({ type: 'spki', format: 'pem' }));
  const before = storeDigest(storeDir);
  const dashboard = await startDashboardCli(project, ['--port', '0'], { PACKGATE_ATTEST_PUBLIC_KEY: keyFile });
  const get = async (p: string) => {
    const response = await fetch(new URL(p, dashboard.url));
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      headers: response.headers,
    };
  };
  try {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    // Shapes: each answer parses with the schema the OpenAPI document is generated from.
    const tasks = taskPageSchema.parse((await get('/api/tasks?lane=C-ops&limit=2&offset=2')).body);
    expect(tasks).toMatchObject({ total: 7, offset: 2, limit: 2 });
    const release = releaseViewSchema.parse((await get('/api/release')).body);
    expect(release.environments.map(e => [e.environment, e.verdict])).toEqual([
      ['demo', 'BLOCKED'],
      ['local', 'PASS_WITH_WARNINGS'],
    ]);
    const trends = trendsSchema.parse((await get('/api/trends?environment=demo&pack=workspace-launch')).body);
    expect(trends.series[0].points.map(p => p.status)).toEqual(['PASS', 'PASS', 'FAIL', 'FAIL', 'FAIL']);
    const task = (await get('/api/tasks/T-REVIEW')).body as {
      task: { title: string };
      events: Array<{ kind: string }>;
    };
    expect(task.events.map(e => e.kind)).toEqual(expect.arrayContaining(['watch', 'checkpoint']));
    expect(((await get('/api/tasks/T-PROPOSED')).body.task as { title: string }).title).toBe(XSS[0]);
    expect((await get('/api/sessions')).body.sessions).toHaveLength(3);
    // What each page asks every poll: the stamp it compares with the one it was rendered with.
    expect(changeStampSchema.strict().parse((await get('/api/change-stamp')).body).data).not.toBe('');
    expect((await get('/api/health')).body).toMatchObject({ staleHolds: [{ id: 'T-STALE' }] });
    // Queue health as `packgate queue health` judges it, with the project's governance.yaml.
    const owed = (report: QueueHealthReport) =>
      report.tasks.filter(t => t.problems.length).map(t => [t.id, t.debt, t.problems.map(p => p.rule)]);
    const debt = queueHealthReportSchema.parse((await get('/api/queue-health')).body);
    const cli = await project.packgate(['queue', 'health', '--json']);
    expect(owed(debt)).toEqual(owed((JSON.parse(cli.stdout) as { report: QueueHealthReport }).report));
    expect(owed(debt)).toEqual([
      ['T-DONE', 'new', ['gate-run-missing']],
      ['T-ESCALATED', 'new', ['escalation-unanswered']],
      ['T-STALE', 'new', ['checkpoint-stale']],
    ]);

    // Each run's evidence checked against its attestation: changed after attesting, signed by the key, unsigned.
    expect((await get(`/api/runs/${seeded.changedRun}`)).body.verification).toMatchObject({
      status: 'changed',
      mismatches: [{ file: 'summary.md', problem: 'changed' }],
    });
    const signed = (await get(`/api/runs/${seeded.signedRun}`)).body.verification as {
      status: string;
      summary: string;
    };
    expect(signed).toMatchObject({ status: 'intact', signature: 'valid' });
    expect(signed.summary).toMatch(/files match the attestation, signed by key [0-9a-f]{64}$/);
    expect((await get(`/api/runs/${seeded.runs.local[0]}`)).body).toMatchObject({
      verification: { status: 'unsigned' },
      // No Allure report was built for it (test/gate/reports.spec.ts links one).
      reportUrl: null,
    });

    // The OpenAPI document: every endpoint, its parameters from the same zod schemas.
    const openapi = (await get('/api/openapi.json')).body as {
      openapi: string;
      paths: Record<string, { get: { parameters: Array<{ name: string; schema: { enum?: string[] } }> } }>;
    };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual([...ENDPOINTS.map(e => e.path), '/api/events']);
    const state = openapi.paths['/api/tasks'].get.parameters.find(p => p.name === 'state');
    expect(state?.schema.enum).toContain('escalated');

    // Bad query parameters: 400 naming the parameter.
    for (const [query, parameter] of [
      ['/api/tasks?limit=0', 'limit'],
      ['/api/tasks?limit=abc', 'limit'],
      ['/api/tasks?limit=0x10', 'limit'],
      ['/api/tasks?limit=1e1', 'limit'],
      ['/api/tasks?limit=%205', 'limit'],
      ['/api/runs?offset=2.0', 'offset'],
      ['/api/tasks?state=sleeping', 'state'],
      ['/api/tasks?colour=red', 'colour'],
      ['/api/tasks?lane=a&lane=b', 'lane'],
      ['/api/trends?runs=9999', 'runs'],
      ['/api/runs?offset=-1', 'offset'],
      ['/api/release?x=1', 'x'],
    ]) {
      const answer = await get(query);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error, query).toMatchObject({ code: 'INPUT_INVALID', parameter });
      expect((answer.body.error as { message: string }).message, query).toMatch(
        new RegExp(`^query parameter ${parameter}: `),
      );
    }
    // Before: a count of ten digits or more was "expected a whole number in decimal digits", which it
    // is; and a parameter no endpoint knows passed when given empty (`?colour=`).
    for (const [query, message] of [
      ['/api/runs?offset=99999999999', 'query parameter offset: Too big: expected number to be <=999999999'],
      ['/api/tasks?colour=', 'query parameter colour: not a parameter of this endpoint'],
      ['/api/release?x=', 'query parameter x: not a parameter of this endpoint'],
    ]) {
      const answer = await get(query);
      expect([answer.status, (answer.body.error as { message: string }).message], query).toEqual([400, message]);
    }
    expect((await get('/api/tasks/NOPE')).status).toBe(404);
    expect((await get('/api/runs/99999')).status).toBe(404);

    // Read-only: every method but GET and HEAD is 405, wherever it is sent.
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      for (const p of ['/', '/api/tasks', '/api/tasks/T-READY', `/evidence/${seeded.changedRun}/verdict.json`]) {
        const answer = await rawRequest(dashboard.url, p, { method });
        expect(answer.status, `${method} ${p}`).toBe(405);
        expect(answer.headers.allow).toBe('GET, HEAD');
      }
    const head = await rawRequest(dashboard.url, '/api/release', { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);

    // The page's headers: no inline script, never framed, no sniffing.
    const page = await rawRequest(dashboard.url, '/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).not.toContain(XSS[1]);
    expect(page.body).toContain('&lt;img src=x onerror=&quot;window.__xss = 2; alert(2)&quot;&gt;');
    // A name that is not this machine's (DNS rebinding) reads nothing; host names have no case.
    expect((await rawRequest(dashboard.url, '/api/release', { headers: { host: 'attacker.example' } })).status).toBe(
      404,
    );
    const port = new URL(dashboard.url).port;
    expect((await rawRequest(dashboard.url, '/api/release', { headers: { host: `LOCALHOST:${port}` } })).status).toBe(
      200,
    );

    // Evidence: by the run's record only; markup is served as text in a sandbox.
    const run = `/evidence/${seeded.changedRun}`;
    const verdict = await rawRequest(dashboard.url, `${run}/verdict.json`);
    expect([verdict.status, verdict.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
    const xssFile = await rawRequest(dashboard.url, `${run}/evidence/workspace-launch/${encodeURIComponent(XSS_FILE)}`);
    expect(xssFile.status).toBe(200);
    expect(xssFile.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(xssFile.headers['content-security-policy']).toContain('sandbox');
    // An encoded `/` is read as `/`: the path is looked up among the run's records, never on disk.
    expect((await rawRequest(dashboard.url, `${run}/evidence%2fworkspace-launch%2fevidence.json`)).status).toBe(200);
    for (const p of [
      `${run}/../../queue.db`,
      `${run}/..%2f..%2fqueue.db`,
      `${run}/%2e%2e/%2e%2e/queue.db`,
      `${run}/%252e%252e%252fqueue.db`,
      `${run}/evidence/..%2f..%2fverdict.json`,
      `${run}/%2fetc%2fpasswd`,
      '/evidence/0/verdict.json',
      '/evidence/abc/verdict.json',
      // One URL per run: its id as the dashboard writes it, never another spelling of the number.
      `/evidence/${seeded.changedRun}.0/verdict.json`,
      `/evidence/${seeded.changedRun}e0/verdict.json`,
      `/evidence/0x${seeded.changedRun.toString(16)}/verdict.json`,
      `/evidence/0${seeded.changedRun}/verdict.json`,
      `/allure/${seeded.changedRun}.0/index.html`,
      '/trace/..%2f..%2f..%2fpackage.json',
      '/trace/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/static/..%2fserver.ts',
      '/static/%2e%2e%2fhtml.ts',
      // The Allure report is served like evidence: only files the run recorded under allure-report/.
      `/allure/${seeded.changedRun}/../../queue.db`,
      `/allure/${seeded.changedRun}/%2e%2e/verdict.json`,
      `/allure/${seeded.changedRun}/..%2f..%2fqueue.db`,
      `/allure/${seeded.changedRun}/index.html`,
      '/allure/abc/index.html',
    ]) {
      const answer = await rawRequest(dashboard.url, p);
      expect(answer.status, p).toBe(404);
      expect(answer.body, p).not.toContain('SQLite format');
    }
    expect((await rawRequest(dashboard.url, '/trace/index.html')).status).toBe(200);
    expect((await rawRequest(dashboard.url, '/static/dashboard.js')).status).toBe(200);
  } finally {
    const stopped = await dashboard.stop();
    expect(stopped.exitCode).toBe(0);
  }
  expect(storeDigest(storeDir)).toBe(before);
});

test('symlinks lead nowhere; new data is announced by server-sent events; --host beyond loopback warns; bad flags are exit 2', async ({}, testInfo) => {
  const { project, seeded, storeDir } = await seededProject(testInfo);
  // A link planted among the dashboard's own files, and a blob swapped for a link to the database.
  fs.symlinkSync(path.join(storeDir, 'queue.db'), path.join(project.dir, 'src/dashboard/static/leak.css'));
  const store = await openStore({ kind: 'sqlite', path: path.join(storeDir, 'queue.db') });
  const run = (await store.gateRuns({ environment: 'demo', limit: 1 }))[0];
  const summary = run.evidence.find(e => e.path === 'summary.md')!;
  const blob = store.blobs.locate(summary.digest);
  fs.chmodSync(path.dirname(blob), 0o755);
  fs.rmSync(blob, { force: true });
  fs.symlinkSync(path.join(storeDir, 'queue.db'), blob);

  const dashboard = await startDashboardCli(project, ['--port', '0', '--host', '127.0.0.2']);
  try {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/$/);
    expect((await rawRequest(dashboard.url, '/static/leak.css')).status).toBe(404);
    const swapped = await rawRequest(dashboard.url, `/evidence/${run.id}/summary.md`);
    expect(swapped.status).toBe(404);
    expect(swapped.body).not.toContain('SQLite');

    // Server-sent events: ready at once, changed after a write by someone else.
    const events = await fetch(new URL('/api/events', dashboard.url));
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = events.body!.getReader();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the event stream ended: ${text}`);
        text += new TextDecoder().decode(value);
      }
    };
    await until(/event: ready\n/);
    await store.addEvent(seeded.tasks.ready, 'note', { note: 'new data' }, 'coordinator');
    await until(/event: changed\n/);
    await reader.cancel();
  } finally {
    await store.close();
    const stopped = await dashboard.stop();
    expect(stopped.exitCode).toBe(0);
    // 127.0.0.2 is this machine too: no warning, and the Host check holds there as on 127.0.0.1.
    expect(stopped.stderr).not.toContain('warning');
  }
  const onLoopback = await startDashboardCli(project, ['--port', '0', '--host', '127.0.0.2']);
  try {
    const attacked = await rawRequest(onLoopback.url, '/api/release', { headers: { host: 'attacker.example' } });
    expect(attacked.status).toBe(404);
  } finally {
    await onLoopback.stop();
  }
  const everywhere = await startDashboardCli(project, ['--port', '0', '--host', '0.0.0.0']);
  const stoppedEverywhere = await everywhere.stop();
  expect(stoppedEverywhere.stderr).toContain('warning: the dashboard listens on 0.0.0.0, not only this machine');

  const badPort = await project.packgate(['dashboard', '--port', 'eighty']);
  expect([badPort.exitCode, badPort.stderr]).toEqual([
    2,
    'packgate: --port eighty is not a port number\n  hint: give a number from 1 to 65535 (0: any free port)\n',
  ]);
  const noStore = await project.packgate(['dashboard', '--port', '0', '--store', 'nowhere/queue.db', '--json']);
  expect(noStore.exitCode).toBe(2);
  // Before: 'or give --store', to a user who had.
  expect(JSON.parse(noStore.stdout)).toMatchObject({
    ok: false,
    error: {
      code: 'STORE_UNAVAILABLE',
      message: `there is no queue store at ${path.join(project.dir, 'nowhere/queue.db')} yet`,
      hint: "check the path --store gives: a project's store is .packgate/queue.db in it, made by its first queue command",
    },
  });
  expect(fs.existsSync(path.join(project.dir, 'nowhere'))).toBe(false);
  // A file that is no store, and a directory: each said as what it is, with what to give instead.
  const notStore = await project.packgate(['dashboard', '--port', '0', '--store', 'packgate.yaml']);
  expect([notStore.exitCode, notStore.stderr]).toEqual([
    2,
    `packgate: ${path.join(project.dir, 'packgate.yaml')} is not a packgate queue store (no schema_migrations)\n` +
      "  hint: give --store the store's file (.packgate/queue.db in the project by default) or its PostgreSQL URL\n",
  ]);
  const directory = await project.packgate(['dashboard', '--port', '0', '--store', '.']);
  expect(directory.exitCode).toBe(2);
  expect(directory.stderr).toContain(`${project.dir} is a directory, not a queue store`);
});

test('an empty --host is refused before anything listens, never taken as every interface', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // Before: `--host ""` (a script's unset variable) listened on [::], the whole network, its warning
  // naming no host ("listens on , not only this machine"); with no store here, it said only that.
  for (const host of ['', ' ']) {
    const refused = await project.packgate(['dashboard', '--port', '0', '--host', host]);
    expect([refused.exitCode, refused.stderr]).toEqual([
      2,
      'packgate: --host is empty: it would listen on every network interface\n' +
        '  hint: leave --host out for 127.0.0.1 (this machine only), or give the address to listen on (0.0.0.0 for other machines too)\n',
    ]);
  }
});

test('a store removed or replaced while the dashboard runs is said on every page and API answer with what to do, never shown as live', async ({}, testInfo) => {
  const { project, storeDir } = await seededProject(testInfo);
  const file = path.join(storeDir, 'queue.db');
  const dashboard = await startDashboardCli(project, ['--port', '0']);
  try {
    expect((await rawRequest(dashboard.url, '/api/tasks')).status).toBe(200);
    // Before: the dashboard read on from the file it had open, gone from the folder, and showed its
    // tasks as live, and a store made there again never showed.
    fs.renameSync(storeDir, `${storeDir}-old`);
    const removed = `the queue store ${file} was removed after the dashboard opened it`;
    const api = await rawRequest(dashboard.url, '/api/tasks');
    expect(api.status).toBe(503);
    expect(JSON.parse(api.body)).toEqual({
      error: {
        code: 'STORE_UNAVAILABLE',
        message: `${removed}: restart \`packgate dashboard\` once the store is there again`,
        parameter: null,
      },
    });
    // What each page asks every poll: the page then says it is not live, and why.
    expect((await rawRequest(dashboard.url, '/api/change-stamp')).status).toBe(503);
    const page = await rawRequest(dashboard.url, '/queue');
    expect(page.status).toBe(503);
    expect(page.body.replaceAll('&#96;', '`')).toContain(
      `${removed}: restart \`packgate dashboard\` once the store is there again`,
    );
    // Its own files still load: the page shows the message styled.
    expect((await rawRequest(dashboard.url, '/static/dashboard.css')).status).toBe(200);

    // Another store at the path (one restored, or made anew): the dashboard still has the old one open.
    fs.cpSync(`${storeDir}-old`, storeDir, { recursive: true });
    const replaced = await rawRequest(dashboard.url, '/api/release');
    expect(replaced.status).toBe(503);
    expect((JSON.parse(replaced.body) as { error: { message: string } }).error.message).toBe(
      `the queue store ${file} was replaced by another file after the dashboard opened it: ` +
        'restart `packgate dashboard` to read the one there now',
    );
  } finally {
    const stopped = await dashboard.stop();
    expect(stopped.exitCode).toBe(0);
  }
});

test('a PostgreSQL server gone while the dashboard runs: a 503 naming the store and what to do, said once on its console', async ({}, testInfo) => {
  const availability = postgresAvailability();
  if (!availability.ok && !process.env[REQUIRE_POSTGRES_VAR]) test.skip(true, availability.reason);
  const cluster = await startPostgres();
  try {
    const url = await cluster.createDatabase();
    const writer = await openStore({ ...postgresUrl(url, 'the test'), urlEnv: 'the test' });
    await writer.createTask({ id: 'T-1', title: 'one task' }, 'coordinator');
    await writer.close();
    const project = await TempProject.create(testInfo);
    const dashboard = await startDashboardCli(project, ['--port', '0', '--store', url]);
    let stopped;
    try {
      expect((await rawRequest(dashboard.url, '/api/tasks')).status).toBe(200);
      await cluster.stop();
      // Before: a 500 saying only "the dashboard failed to read the store; see its console", and on
      // the console a stack trace for every request, each open page's poll too.
      const said = new RegExp(
        '^cannot read the queue store postgresql://packgate@/\\S+: .+: the connection to the PostgreSQL server ' +
          'failed or was cut: check that it is up and reachable \\(pg_isready\\)',
      );
      for (const p of ['/api/tasks', '/api/change-stamp', '/api/change-stamp', '/api/runs/1']) {
        const answer = await rawRequest(dashboard.url, p);
        expect(answer.status, p).toBe(503);
        const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
        expect(error.code, p).toBe('STORE_UNAVAILABLE');
        expect(error.message, p).toMatch(said);
      }
      const page = await rawRequest(dashboard.url, '/queue');
      expect(page.status).toBe(503);
      expect(page.body).toContain('<title>Store unavailable · packgate dashboard</title>');
      expect(page.body).toMatch(/cannot read the queue store postgresql:\/\/packgate@\/\S+: /);
    } finally {
      stopped = await dashboard.stop();
    }
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stderr.match(/cannot read the queue store/g)).toHaveLength(1);
    expect(stopped.stderr).not.toMatch(/^\s+at /m);
  } finally {
    await cluster.stop().catch(() => {});
  }
});
