import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { escapeText } from '../../src/dashboard/html.ts';
import { EVIDENCE_CSP } from '../../src/dashboard/http-kit.ts';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/server.ts';
import { openStore } from '../../src/store/open.ts';
import { openStoreReadOnly } from '../../src/store/open-read-only.ts';
import type { QueueStore } from '../../src/store/queue-store.ts';
import type { WatchCloseout } from '../../src/store/watch-closeout-schema.ts';
import {
  dayStart,
  DAYS,
  recordRun,
  seedDashboard,
  type Seeded,
  type TestRecord,
  XSS,
  XSS_FILE,
} from '../helpers/dashboard-seed.ts';
import { rawRequest } from '../helpers/dashboard-server.ts';

/**
 * The dashboard's pages as a person's browser meets them, over a seeded store and the server run in
 * this process (the CLI around it is test/cli/dashboard.spec.ts's): what a page says when what it
 * names is not there.
 */
test.describe.configure({ mode: 'serial', timeout: 60_000 });

let seeded: Seeded;
let location: { kind: 'sqlite'; path: string };
let reader: QueueStore;
let dashboard: RunningDashboard;

test.beforeAll(async ({}, testInfo) => {
  location = { kind: 'sqlite', path: testInfo.outputPath('store/queue.db') };
  seeded = await seedDashboard(options => openStore(location, options), testInfo.outputPath('runs'));
  reader = await openStoreReadOnly(location);
  dashboard = await startDashboard(reader, { host: '127.0.0.1', port: 0 });
});

test.afterAll(async () => {
  await dashboard?.close();
  await reader?.close();
});

/** What a browser's address bar sends; fetch's own default is `*\/*`, as curl's is. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

test("an unknown page, task or run is a 404 page in the dashboard's layout saying what is missing and linking back; the API answers JSON", async () => {
  for (const [path, message, back] of [
    ['/nope', 'no page /nope', '<a href="/">Back to the release view</a>'],
    ['/tasks/NOPE', 'no task NOPE', '<a href="/queue">Back to the queue view</a>'],
    // An id typed into the address bar, which the browser percent-encodes: named as typed (before: %E2%9C%93).
    ['/tasks/T-✓', 'no task T-✓', '<a href="/queue">Back to the queue view</a>'],
    // A typo away from T-DONE: suggested, as `task show` suggests it.
    [
      '/tasks/T%20ONE',
      escapeText('no task T ONE: did you mean "T-DONE"?'),
      '<a href="/queue">Back to the queue view</a>',
    ],
    ['/tasks/T-%E2', 'no task T-%E2', '<a href="/queue">Back to the queue view</a>'],
    [
      `/runs/${seeded.taskRun + 1000}`,
      `no gate run ${seeded.taskRun + 1000}`,
      '<a href="/runs">Back to the gate runs view</a>',
    ],
    ['/runs/abc', 'no gate run abc', '<a href="/runs">Back to the gate runs view</a>'],
  ])
    for (const accept of [BROWSER_ACCEPT, '*/*', undefined]) {
      const what = `${path} (Accept: ${accept ?? 'none'})`;
      const response = await fetch(new URL(path, dashboard.url), { headers: accept ? { accept } : {} });
      // Before: with any Accept but text/html, {"error":{"code":"NOT_FOUND",...}} as JSON.
      expect([response.status, response.headers.get('content-type')], what).toEqual([404, 'text/html; charset=utf-8']);
      const page = await response.text();
      expect(page, what).toContain('<nav aria-label="Views">');
      expect(page, what).toContain('<h1>Not found</h1>');
      expect(page, what).toContain(`<p class="error">${message}</p>`);
      expect(page, what).toContain(back);
    }
  // A name in the path is shown as text, never as markup.
  const hostile = await (await fetch(new URL('/tasks/%3Cscript%3Ealert(1)%3C%2Fscript%3E', dashboard.url))).text();
  expect(hostile).not.toContain('<script>alert');

  // The API answers its 404 as JSON, whatever the client accepts.
  for (const path of ['/api/tasks/NOPE', '/api/runs/abc', '/api/nope', '/api'])
    for (const accept of [BROWSER_ACCEPT, undefined]) {
      const response = await fetch(new URL(path, dashboard.url), { headers: accept ? { accept } : {} });
      expect([response.status, response.headers.get('content-type')], path).toEqual([
        404,
        'application/json; charset=utf-8',
      ]);
      expect(((await response.json()) as { error: { code: string } }).error.code, path).toBe('NOT_FOUND');
    }
  const typed = (await (await fetch(new URL('/api/tasks/T-✓', dashboard.url))).json()) as {
    error: { message: string };
  };
  expect(typed.error.message).toBe('no task T-✓');
});

test('a task id a typo away from a stored one is answered with that id, as `task show` suggests it: the page links it, the API says it', async () => {
  // Before: "no task T-REDY" alone, where `packgate task show T-REDY` says "did you mean T-READY?".
  const meant = 'no task T-REDY: did you mean "T-READY"?';
  const response = await fetch(new URL('/tasks/T-REDY', dashboard.url));
  expect(response.status).toBe(404);
  const page = await response.text();
  expect(page).toContain(`<p class="error">${escapeText(meant)}</p>`);
  expect(page).toContain('<p class="meant"><a href="/tasks/T-READY">Go to task T-READY</a></p>');
  // The link leads to the task.
  expect((await fetch(new URL('/tasks/T-READY', dashboard.url))).status).toBe(200);
  const api = await fetch(new URL('/api/tasks/T-REDY', dashboard.url));
  expect([api.status, await api.json()]).toEqual([
    404,
    { error: { code: 'NOT_FOUND', message: meant, parameter: null } },
  ]);
  // An id near none suggests nothing, on the page or in the API.
  const far = await (await fetch(new URL('/tasks/NOPE', dashboard.url))).text();
  expect(far).not.toContain('class="meant"');
  expect(far).toContain('<p class="error">no task NOPE</p>');
});

test('a target no URL parses, or neither a path nor an absolute URL, is a 400 naming it, a page or JSON by its path; nothing on the console', async () => {
  // The server runs in this process: what it would print on its console is what this process writes.
  const printed = await printedWhile(async () => {
    for (const [target, contentType] of [
      ['http://[', 'text/html; charset=utf-8'],
      ['http://[/queue?state=ready', 'text/html; charset=utf-8'],
      ['http://[/api/tasks', 'application/json; charset=utf-8'],
      // Neither a path nor an absolute URL (Node's parser answers `queue` itself, but lets `*` through).
      // Before: resolved against a base, a 404 page for /*.
      ['*', 'text/html; charset=utf-8'],
    ]) {
      const response = await rawRequest(dashboard.url, target);
      // Before: 500 'the dashboard failed to read the store; see its console', and a TypeError's stack on it.
      expect([response.status, response.headers['content-type']], target).toEqual([400, contentType]);
      const message = `request target ${target} is not a URL the dashboard can read: send a path such as /queue`;
      if (contentType.startsWith('text/html')) {
        expect(response.body, target).toContain('<h1>Bad request</h1>');
        expect(response.body, target).toContain(`<p class="error">${escapeText(message)}</p>`);
      } else
        expect(JSON.parse(response.body), target).toEqual({
          error: { code: 'INPUT_INVALID', message, parameter: null },
        });
    }
  });
  expect(printed).toBe('');
});

test('a target beginning with // is a path, never a host: a 404 saying the path to send, a page or JSON by that path', async () => {
  const printed = await printedWhile(async () => {
    // Before: `//queue` was read as host "queue" and served the release view (200), `//api/tasks` the
    // page /tasks (a 404 page, not JSON), and `//[` was a 400 as a URL no parser reads.
    for (const [target, path, meant, back] of [
      ['//queue', '//queue', '/queue', '/queue'],
      ['/\\queue?state=ready', '//queue', '/queue?state=ready', '/queue'],
      ['///runs', '///runs', '/runs', '/runs'],
      ['http://127.0.0.1//health', '//health', '/health', '/health'],
      ['//', '//', '/', '/'],
      ['//[', '//[', '/[', '/'],
    ]) {
      const response = await rawRequest(dashboard.url, target);
      expect([response.status, response.headers['content-type']], target).toEqual([404, 'text/html; charset=utf-8']);
      const message = `no page ${path}: the path begins with //, which names nothing here; send ${meant}`;
      expect(response.body, target).toContain('<h1>Not found</h1>');
      expect(response.body, target).toContain(`<p class="error">${escapeText(message)}</p>`);
      expect(response.body, target).toContain(`<p><a href="${back}">Back to the `);
    }
    for (const [target, path, meant] of [
      ['//api/tasks', '//api/tasks', '/api/tasks'],
      ['//api/runs/1?x=1', '//api/runs/1', '/api/runs/1?x=1'],
    ]) {
      const response = await rawRequest(dashboard.url, target);
      expect([response.status, response.headers['content-type']], target).toEqual([
        404,
        'application/json; charset=utf-8',
      ]);
      expect(JSON.parse(response.body), target).toEqual({
        error: {
          code: 'NOT_FOUND',
          message: `no API endpoint ${path}: the path begins with //, which names nothing here; send ${meant}`,
          parameter: null,
        },
      });
    }
    // The path sent once, as the message says, is served.
    expect((await rawRequest(dashboard.url, '/queue?state=ready')).status).toBe(200);
  });
  expect(printed).toBe('');
});

/** The Reason cell of the row of a test titled `title` on a run page, as text. */
function reasonCell(page: string, title: string): string | undefined {
  for (const row of page.split('<tr>').slice(1)) {
    const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(m => m[1].replace(/<[^>]+>/g, '').trim());
    if (cells[0] === title) return cells[4];
  }
  return undefined;
}

test('a skipped test shows why: the reason the gate recorded when its setup failed, what test.skip() said when it skipped itself', async ({}, testInfo) => {
  // As the gate words it (src/gate/assemble.ts, judge.ts) when local's sign-in setup fails: the pack
  // that proves the sign-in fails with it, the pack downstream is blocked by it, and a pack whose
  // tests never started is not run; none of their tests started, so none has an error of its own.
  const setup = 'local-sign-in › sign in as ada: Error: the IdP refused the authorization request';
  const reasons = {
    'auth-session': `the sign-in setup failed: ${setup}`,
    'workspace-launch':
      `blocked by upstream pack "auth-session" (FAIL: the sign-in setup failed: ${setup}); ` +
      `this pack's own result: 1 of 1 tests never finished: the sign-in setup failed (${setup})`,
    'app-launch': `1 of 1 tests never finished: the sign-in setup failed (${setup})`,
  };
  const notStarted = (title: string): TestRecord => ({
    title,
    project: 'local-browser',
    outcome: 'skipped',
    lastStatus: 'not-run',
    errors: [],
  });
  const writer = await openStore(location);
  const run = await recordRun(writer, testInfo.outputPath('run-sign-in-failed'), {
    taskId: null,
    environment: 'local',
    stage: 'dev',
    startedAt: dayStart(DAYS + 1, 'local'),
    durationMs: 30_000,
    packs: [
      {
        pack: 'auth-session',
        status: 'FAIL',
        reason: reasons['auth-session'],
        // Its record lists the failed setup with its own tests, as the gate's does: the setup's failure is
        // no failed test of its own (the verdict counts none), and does not hide why the others never started.
        signIn: [
          {
            title: 'sign in as ada',
            project: 'local-sign-in',
            outcome: 'unexpected',
            lastStatus: 'failed',
            errors: ['Error: the IdP refused the authorization request'],
          },
        ],
        tests: [
          { title: 'the token is refused unsigned', project: 'local-api', outcome: 'expected', lastStatus: 'passed' },
          notStarted('signs in and out'),
          {
            title: 'the ID token is signed with a published key',
            project: 'local-api',
            outcome: 'skipped',
            lastStatus: 'skipped',
            skipReason: 'environments/acme.yaml shares no client secret',
          },
        ],
      },
      {
        pack: 'workspace-launch',
        status: 'BLOCKED_BY_UPSTREAM',
        reason: reasons['workspace-launch'],
        tests: [notStarted('launches a workspace')],
      },
      { pack: 'app-launch', status: 'NOT_RUN', reason: reasons['app-launch'], tests: [notStarted('opens the app')] },
      {
        // Failed by a test of its own, another stopped by --max-failures: the pack's reason is the failed
        // test's, not why the other did not start, so that one's cell stays empty.
        pack: 'sessions-list',
        status: 'FAIL',
        reason: 'lists sessions failed: Error: expected 2 rows',
        tests: [
          {
            ...notStarted('lists sessions'),
            outcome: 'unexpected',
            lastStatus: 'failed',
            errors: ['Error: expected 2 rows'],
          },
          notStarted('ends a session'),
        ],
      },
    ],
  });
  await writer.close();

  const page = await (await fetch(new URL(`/runs/${run}`, dashboard.url))).text();
  // Before: each of these cells was empty (auth-session's too, its setup's failed row read as a failure of its own).
  expect(reasonCell(page, 'signs in and out')).toBe(escapeText(reasons['auth-session']));
  // The setup's row shows its own error.
  expect(reasonCell(page, 'sign in as ada')).toBe('Error: the IdP refused the authorization request');
  expect(reasonCell(page, 'launches a workspace')).toBe(escapeText(reasons['workspace-launch']));
  expect(reasonCell(page, 'opens the app')).toBe(escapeText(reasons['app-launch']));
  // A test that ran has no reason to show, and a failed test still shows its own first error line.
  expect(reasonCell(page, 'the token is refused unsigned')).toBe('');
  // A test skipped by its own test.skip() shows what that said (before: an empty cell).
  expect(reasonCell(page, 'the ID token is signed with a published key')).toBe(
    'environments/acme.yaml shares no client secret',
  );
  expect(reasonCell(page, 'lists sessions')).toBe('Error: expected 2 rows');
  expect(reasonCell(page, 'ends a session')).toBe('');
  const failing = await (await fetch(new URL(`/runs/${seeded.changedRun}`, dashboard.url))).text();
  expect(reasonCell(failing, 'the journey works')).toBe('');
  expect(reasonCell(failing, `launch ${escapeText(XSS[4])}`)).toMatch(/^Error: /);
});

test('a path with a trailing slash is sent to the path without it (308, query kept); file routes keep theirs', async () => {
  for (const [path, location] of [
    ['/runs/', '/runs'],
    ['/queue/?state=ready', '/queue?state=ready'],
    [`/tasks/${seeded.tasks.in_review}/`, `/tasks/${seeded.tasks.in_review}`],
    ['/api/tasks/', '/api/tasks'],
  ]) {
    const response = await fetch(new URL(path, dashboard.url), { redirect: 'manual' });
    // Before: '/runs/' was read as a run with an empty id, "no gate run ", and '/queue/' as "no page /queue/".
    expect([response.status, response.headers.get('location')], path).toEqual([308, location]);
  }
  const followed = await fetch(new URL('/runs/', dashboard.url));
  expect([followed.status, followed.url]).toEqual([200, new URL('/runs', dashboard.url).href]);
  expect((await fetch(new URL('/trace/', dashboard.url), { redirect: 'manual' })).status).not.toBe(308);
});

/** A task page's events, each as its heading (as text) and its words (as the page has them, escaped). */
function eventArticles(page: string): Array<[string, string]> {
  return [...page.matchAll(/<article class="event"[^>]*>([\s\S]*?)<\/article>/g)].map(([, article]) => [
    (/<h3>([\s\S]*?)<\/h3>/.exec(article)?.[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\dZ/, '<when>'),
    /<p>([\s\S]*?)<\/p>/.exec(article)?.[1] ?? '',
  ]);
}

test('a task page says each event in the words `task show` prints, escaped; the API keeps every body as stored', async () => {
  const page = async (id: string) => (await fetch(new URL(`/tasks/${id}`, dashboard.url))).text();
  const review = await page(seeded.tasks.in_review);
  // Before: each event's body as JSON, `{ "session": "session-old", "worktree": null, ... }`.
  expect(eventArticles(review)).toEqual([
    // Proofs of acceptance items, as `task prove` records them: by a file (named by the corpus) and by a run.
    [
      'proof <when> by agent-old',
      escapeText(`acceptance item 1 proven by ${XSS_FILE} (sha256 ${seeded.proofDigest.slice(0, 12)}): ${XSS[6]}`),
    ],
    ['proof <when> by agent-old', escapeText(`acceptance item 2 proven by gate run #${seeded.taskRun}: ${XSS[1]}`)],
    // An older packgate's closeout and a checkpoint with no record here: field by field, and its decision.
    ['watch <when> by watcher', escapeText(`closeout: watched run closed; verdict: PASS; note: ${XSS[6]}`)],
    ['watch <when> by watcher', 'run W-DEPLOY-20261125T093012-481920 closed out #1: failure (auth)'],
    ['checkpoint <when> by coordinator', 'continue (no checkpoint record in this store)'],
    ['claim <when> by agent-old', 'session session-old, no worktree'],
    ['release <when> by agent-old', escapeText(`session session-old's hold ended, -> in_review: ${XSS[1]}`)],
  ]);
  // The words are what a reader sees; each body as stored is folded under them (closed), so a field
  // the words leave out (the checkpoint's and the closeout's note here) is one click away, not only in the API.
  const bodies = [
    ...review.matchAll(
      /<details class="body">\s*<summary>Body as stored<\/summary>\s*<pre class="json"[^>]*>([\s\S]*?)<\/pre>/g,
    ),
  ];
  expect(bodies).toHaveLength(7);
  const checkpointBody = bodies.find(([, body]) => body.includes('&quot;decision&quot;: &quot;continue&quot;'));
  expect(checkpointBody?.[1]).toContain(escapeText(JSON.stringify(XSS[6])));
  expect(review).not.toMatch(/<details class="body" open/);
  expect(eventArticles(await page(seeded.tasks.ready))).toContainEqual([
    'note <when> by coordinator',
    escapeText(XSS[4]),
  ]);
  expect(eventArticles(await page(seeded.tasks.done))).toContainEqual([
    'handoff <when> by agent-live',
    escapeText(`summary: ${XSS[2]}`),
  ]);

  const api = (await (await fetch(new URL(`/api/tasks/${seeded.tasks.in_review}`, dashboard.url))).json()) as {
    events: Array<{ kind: string; body: unknown }>;
  };
  expect(api.events.map(e => [e.kind, e.body])).toEqual([
    ['claim', { session: 'session-old', worktree: null, branch: null, base: null }],
    ['release', { session: 'session-old', to: 'in_review', reason: XSS[1] }],
    ['watch', { closeout: 'watched run closed', verdict: 'PASS', note: XSS[6] }],
    ['checkpoint', { decision: 'continue', note: XSS[6] }],
    ['proof', { item: 1, file: XSS_FILE, digest: seeded.proofDigest, size: expect.any(Number), note: XSS[6] }],
    ['proof', { item: 2, run: seeded.taskRun, note: XSS[1] }],
    ['watch', expect.objectContaining({ run: 'W-DEPLOY-20261125T093012-481920' })],
  ]);
});

test('a task page shows how each watched run ended, as `task show` lists its closeouts, not only that it closed out; the API carries them', async () => {
  // A watcher closes out a failed deploy on the blocked task: the why is in the closeout, not its event.
  const writer = await openStore(location);
  let logDigest = '';
  try {
    const log = await writer.blobs.put(Buffer.from(`deploying\nPOST /token: 401 invalid_grant ${XSS[0]}\n`));
    await writer.closeWatch({
      taskId: seeded.tasks.blocked,
      run: 'W-DEPLOY-20261207T130841-593524',
      watcher: 'W-DEPLOY',
      session: null,
      source: 'run',
      status: 'failure',
      class: 'auth',
      lines: [`POST /token: 401 invalid_grant ${XSS[0]}`],
      exitCode: 1,
      signal: null,
      durationMs: 412_300,
      command: `make deploy ENV=demo ${XSS[2]}`,
      logDigest: (logDigest = log.digest),
      logPath: '.packgate/watch-logs/W-DEPLOY-20261207T130841-593524.log',
      verdictDigest: null,
      verdict: null,
      blockingPacks: [],
      startedAt: '2026-12-07T13:08:41.000Z',
      createdBy: 'watcher',
    });
  } finally {
    await writer.close();
  }
  const id = encodeURIComponent(seeded.tasks.blocked);
  const page = await (await fetch(new URL(`/tasks/${id}`, dashboard.url))).text();
  const section = /<section aria-labelledby="ev-watch">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
  const row = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)?.[1] ?? '';
  const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(([, c]) => c.replace(/\s+/g, ' ').trim());
  expect(cells.slice(2, 7)).toEqual([
    'W-DEPLOY',
    '<code>W-DEPLOY-20261207T130841-593524</code>',
    'FAILURE (auth)',
    'exit code 1',
    '7 min',
  ]);
  expect(cells[7]).toBe(`<code>${escapeText(`make deploy ENV=demo ${XSS[2]}`)}</code>`);
  expect(cells[8]).toContain('<code>.packgate/watch-logs/W-DEPLOY-20261207T130841-593524.log</code>');
  expect(cells[8]).toContain(`sha256:${logDigest.slice(0, 12)}`);
  expect(cells[9]).toContain(escapeText(`POST /token: 401 invalid_grant ${XSS[0]}`));
  // The event in words is still there, under the table.
  expect(eventArticles(section)).toEqual([
    // The store numbers closeouts: the seed's in-review task has #1.
    ['watch <when> by watcher', 'run W-DEPLOY-20261207T130841-593524 closed out #2: failure (auth)'],
  ]);

  const api = (await (await fetch(new URL(`/api/tasks/${id}`, dashboard.url))).json()) as {
    closeouts: Array<{ run: string; status: string; exitCode: number; lines: string[] }>;
  };
  expect(api.closeouts.map(c => [c.run, c.status, c.exitCode, c.lines])).toEqual([
    ['W-DEPLOY-20261207T130841-593524', 'failure', 1, [`POST /token: 401 invalid_grant ${XSS[0]}`]],
  ]);
});

test("a watched run's log opens from its task's page: plain text found by its closeout's record, never by a path; a changed log is not served", async () => {
  const log = `deploying\nPOST /token: 401 invalid_grant ${XSS[0]}\n`;
  const writer = await openStore(location);
  let closeout: WatchCloseout;
  let blobFile: string;
  try {
    const stored = await writer.blobs.put(Buffer.from(log));
    blobFile = writer.blobs.locate(stored.digest);
    closeout = await writer.closeWatch({
      taskId: seeded.tasks.parked,
      run: 'W-LOG-20261207T140000-000001',
      watcher: 'W-LOG',
      session: null,
      source: 'run',
      status: 'failure',
      class: 'auth',
      lines: [],
      exitCode: 1,
      signal: null,
      durationMs: 1_000,
      command: 'make deploy',
      logDigest: stored.digest,
      logPath: '.packgate/watch-logs/W-LOG-20261207T140000-000001.log',
      verdictDigest: null,
      verdict: null,
      blockingPacks: [],
      startedAt: null,
      createdBy: 'watcher',
    });
  } finally {
    await writer.close();
  }
  const task = seeded.tasks.parked;
  const page = await (await fetch(new URL(`/tasks/${task}`, dashboard.url))).text();
  // Before: the log's path and digest as text, nothing to open.
  const link = `/watch-logs/${task}/${closeout.id}`;
  expect(page).toContain(
    `<a class="log-link" href="${link}"><code>.packgate/watch-logs/W-LOG-20261207T140000-000001.log</code></a>`,
  );
  const response = await fetch(new URL(link, dashboard.url));
  expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/plain; charset=utf-8']);
  // In no page context of ours, as a run's evidence: a script in a log does nothing.
  expect(response.headers.get('content-security-policy')).toBe(EVIDENCE_CSP);
  expect(await response.text()).toBe(log);

  // Found by the closeout's record only: another task's, another number, a path in its place are 404s.
  for (const path of [
    `/watch-logs/${seeded.tasks.ready}/${closeout.id}`,
    `/watch-logs/${task}/${closeout.id + 100}`,
    `/watch-logs/${task}/0${closeout.id}`,
    `/watch-logs/${task}`,
    `/watch-logs/${task}/${closeout.id}/..%2F..%2Fqueue.db`,
    `/watch-logs/${task}/..%2F..%2Fstore%2Fqueue.db`,
    `/watch-logs/..%2F..%2Fstore%2Fqueue.db/${closeout.id}`,
    `/watch-logs/${task}/${closeout.id}/../../../store/queue.db`,
  ]) {
    const refused = await rawRequest(dashboard.url, path);
    expect([refused.status, refused.headers['content-type']], path).toEqual([404, 'text/html; charset=utf-8']);
    expect(refused.body, path).not.toContain('invalid_grant');
  }
  // A log changed since it was stored no longer hashes to its digest: not served.
  fs.chmodSync(blobFile, 0o644);
  fs.writeFileSync(blobFile, log.replace('401', '200'));
  const changed = await fetch(new URL(link, dashboard.url));
  expect(changed.status).toBe(404);
  expect(await changed.text()).toContain(`no intact log of watch closeout #${closeout.id} of task ${task}`);
});

test('a filter naming nothing the store holds is said above the empty page, with "did you mean" and a link to the page it meant', async () => {
  /** The notes above a page's table, in words, and the link they give. */
  const notes = async (path: string) => {
    const page = await (await fetch(new URL(path, dashboard.url))).text();
    const block = /<div class="error unknown-filter" role="note">([\s\S]*?)<\/div>/.exec(page)?.[1] ?? '';
    return {
      messages: [...block.matchAll(/<p>([\s\S]*?)<\/p>/g)].map(([, m]) => m),
      link: /<p class="meant"><a href="([^"]*)">([^<]*)<\/a><\/p>/.exec(block)?.slice(1) ?? null,
      page,
    };
  };
  // Before: "No gate runs match." alone, as if demo had no runs.
  expect(await notes('/runs?environment=dmo')).toMatchObject({
    messages: [escapeText('no environment dmo among the recorded gate runs: did you mean "demo"?')],
    link: ['/runs?environment=demo', 'Show environment demo'],
  });
  expect((await notes('/runs?task=T-REDY')).messages).toEqual([
    escapeText('no task T-REDY in the queue: did you mean "T-READY"?'),
  ]);
  // Two typos: each said, one link puts both right (the runs count as given kept); a value near none lists what is known.
  expect(await notes('/trends?environment=dmo&pack=workspace-lanch&runs=5')).toMatchObject({
    messages: [
      escapeText('no environment dmo among the recorded gate runs: did you mean "demo"?'),
      escapeText('no pack workspace-lanch among the recorded gate runs: did you mean "workspace-launch"?'),
    ],
    link: [
      escapeText('/trends?environment=demo&pack=workspace-launch&runs=5'),
      'Show environment demo, pack workspace-launch',
    ],
  });
  expect(await notes('/queue?lane=C-opz&state=ready&pack=zzz')).toMatchObject({
    messages: [
      escapeText('no lane C-opz in the queue: did you mean "C-ops"?'),
      escapeText("no pack zzz in any task's packet; known: auth-session, workspace-launch"),
    ],
    link: [escapeText('/queue?lane=C-ops&pack=zzz&state=ready'), 'Show lane C-ops'],
  });
  // "-" (tasks with no lane) is a value the lane filter takes, never what a typo meant.
  expect(await notes('/queue?lane=x')).toMatchObject({
    messages: ['no lane x in the queue; known: A-web, C-ops'],
    link: null,
  });
  // Known values that match nothing together, lane "-" (tasks with none), a page with rows: no note.
  for (const path of ['/runs?environment=demo&task=T-READY', '/queue?lane=-', '/queue?lane=C-ops', '/trends'])
    expect((await notes(path)).page, path).not.toContain('unknown-filter');
  // The API answers the filter as asked, an empty page: a script reads `total`, a person reads the note.
  expect(await (await fetch(new URL('/api/runs?environment=dmo', dashboard.url))).json()).toMatchObject({ total: 0 });
});

test("the health page's sessions link each task they hold, as its other tables link theirs", async () => {
  const page = await (await fetch(new URL('/health', dashboard.url))).text();
  const sessions = /<section aria-labelledby="sessions">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
  const held = await reader.sessions();
  const holds = held.flatMap(s => s.holds);
  expect(holds.length).toBeGreaterThan(0);
  for (const id of holds)
    expect(sessions).toContain(`<a href="/tasks/${encodeURIComponent(id)}">${escapeText(id)}</a>`);
});

test('a trend over one run says "1 run", not "1 runs"', async () => {
  const page = await (await fetch(new URL('/trends?runs=1', dashboard.url))).text();
  const counts = [...page.matchAll(/<p class="counts">([\s\S]*?)<\/p>/g)].map(([, c]) => c.replace(/\s+/g, ' ').trim());
  expect(counts.length).toBeGreaterThan(0);
  for (const c of counts) expect(c).toMatch(/, over 1 run that ran it\.$/);
});

test("a pack's tests the run left out are said to be not selected by it, as the gate's table says, folded; not 'Missing tests'", async ({}, testInfo) => {
  const left = ['browser: a user signs in through the IdP and lands in the shell'];
  const unselected = ['api: the catalogue lists every app', `browser: launch ${XSS[0]}`];
  const writer = await openStore(location);
  const run = await recordRun(writer, testInfo.outputPath('run-narrowed'), {
    taskId: null,
    environment: 'local',
    stage: 'dev',
    startedAt: dayStart(DAYS + 2, 'local'),
    durationMs: 4_000,
    narrowed: ['packs/auth-session/', 'not selected: local-browser'],
    packs: [
      { pack: 'auth-session', status: 'PASS', missingTests: left },
      {
        pack: 'app-launch',
        status: 'NOT_SELECTED',
        reason: 'not selected by this run (a subset was chosen with --grep, --project or a file filter)',
        missingTests: unselected,
      },
    ],
  });
  await writer.close();

  const page = await (await fetch(new URL(`/runs/${run}`, dashboard.url))).text();
  expect(page).not.toContain('Missing tests');
  const folded = [...page.matchAll(/<details class="not-selected">([\s\S]*?)<\/details>/g)].map(([, d]) => ({
    summary: (/<summary>([\s\S]*?)<\/summary>/.exec(d)?.[1] ?? '').replace(/\s+/g, ' ').trim(),
    titles: [...d.matchAll(/<li>([\s\S]*?)<\/li>/g)].map(([, t]) => t),
  }));
  // The packs in the order the run lists them (app-launch, auth-session).
  expect(folded).toEqual([
    {
      summary: '2 tests not selected by this run (filtered out, sharded out, or in a project not selected), so not run',
      titles: unselected.map(escapeText),
    },
    {
      summary: '1 test not selected by this run (filtered out, sharded out, or in a project not selected), so not run',
      titles: left,
    },
  ]);
  // The count beside the tests that ran says how many of the pack's were left out, as the gate's TESTS column does (2/3).
  expect(page.replace(/\s+/g, ' ')).toContain('0 not run, of 2; 1 test of the pack not selected by this run.');
});

test('names differing only in a character an id cannot hold get ids of their own, each section labelled by its heading', async ({}, testInfo) => {
  // Recorded names are the store's, any string: `a.b` and `a_b` were both `env-a_b` (and `p.q`, `p_q` `pack-p_q`).
  const writer = await openStore(location);
  const runs: number[] = [];
  for (const environment of ['a.b', 'a_b'])
    runs.push(
      await recordRun(writer, testInfo.outputPath(`run-${environment}`), {
        taskId: null,
        environment,
        stage: 'dev',
        startedAt: dayStart(DAYS + 3, 'local'),
        durationMs: 1_000,
        packs: [
          { pack: 'p.q', status: 'PASS' },
          { pack: 'p_q', status: 'PASS' },
        ],
      }),
    );
  await writer.close();
  for (const path of ['/', '/trends', `/runs/${runs[0]}`]) {
    const page = await (await fetch(new URL(path, dashboard.url))).text();
    const ids = [...page.matchAll(/\sid="([^"]*)"/g)].map(([, id]) => id);
    expect(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      `${path}: ids given twice`,
    ).toEqual([]);
    // Each section and article is labelled by a heading inside it, which names what it is of.
    const labelled = (tag: string) => [
      ...page.matchAll(new RegExp(`<${tag} [^>]*aria-labelledby="([^"]*)"[^>]*>([\\s\\S]*?)</${tag}>`, 'g')),
    ];
    for (const tag of ['section', 'article'])
      for (const [, label, inner] of labelled(tag))
        expect(inner, `${path}: the ${tag} labelled by ${label}`).toContain(` id="${label}"`);
    expect(labelled('article').length + labelled('section').length, path).toBeGreaterThan(1);
  }
  // Stable: the same names give the same ids on every render.
  const release = await (await fetch(new URL('/', dashboard.url))).text();
  expect(release).toContain('<h2 id="env-a_2e_b">');
  expect(release).toContain('<h2 id="env-a_5f_b">');
  expect(release).toContain('<h2 id="env-local">');
});

/** What this process wrote to stderr while `fn` ran (the dashboard under test runs in it), passed through. */
async function printedWhile(fn: () => Promise<void>): Promise<string> {
  const printed: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    printed.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return printed.join('');
}
