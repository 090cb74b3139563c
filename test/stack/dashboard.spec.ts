import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { chromiumLaunchOptions, findChromium, noBrowserError } from '../../src/browser/chromium.ts';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/server.ts';
import { openStore } from '../../src/store/open.ts';
import { openStoreReadOnly } from '../../src/store/open-read-only.ts';
import type { QueueStore } from '../../src/store/queue-store.ts';
import {
  DAYS,
  DOCS_WORDS,
  PACKS,
  PROBE_WORDS,
  seedDashboard,
  STATUSES,
  type Seeded,
  type SeedWords,
  XSS,
  XSS_FILE,
} from '../helpers/dashboard-seed.ts';
import { REPO } from '../helpers/ports.ts';

/**
 * The dashboard in a real Chromium over a seeded store: every view shows what was seeded, a run leads
 * to its screenshot and to its trace in Playwright's trace viewer, the trend points are the seeded
 * verdicts, no string of the XSS corpus runs, and axe finds no serious or critical violation.
 * With PACKGATE_DOCS_SCREENSHOTS=1 it writes each view's screenshot into docs/dashboard/, over the
 * same store in a team's own words (DOCS_WORDS), where every other run seeds the XSS corpus
 * (PROBE_WORDS): the README shows believable tasks, and every run of the suite proves the escaping.
 */
const chromium = findChromium();
if (!chromium) throw noBrowserError();
test.use({ launchOptions: chromiumLaunchOptions(chromium, { headless: true }) });
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DOCS = path.join(REPO, 'docs/dashboard');
const DOCS_SCREENSHOTS = Boolean(process.env.PACKGATE_DOCS_SCREENSHOTS);

let seeded: Seeded;
/** What the seed wrote where people's words go. */
let words: SeedWords;
let location: { kind: 'sqlite'; path: string };
let reader: QueueStore;
let dashboard: RunningDashboard;
const dialogs: string[] = [];

test.beforeAll(async ({ browser }, testInfo) => {
  // A real trace and a real screenshot, made here, stored as a run's evidence.
  const context = await browser.newContext();
  await context.tracing.start({ screenshots: true, snapshots: true });
  const page = await context.newPage();
  await page.setContent('<main><h1>Workspace launch failed</h1><button>Retry</button></main>');
  await page.getByRole('button', { name: 'Retry' }).click();
  const screenshot = await page.screenshot();
  const tracePath = testInfo.outputPath('trace.zip');
  await context.tracing.stop({ path: tracePath });
  await context.close();

  location = { kind: 'sqlite', path: testInfo.outputPath('store/queue.db') };
  seeded = await seedDashboard(options => openStore(location, options), testInfo.outputPath('runs'), {
    screenshot,
    trace: fs.readFileSync(tracePath),
    words: DOCS_SCREENSHOTS ? DOCS_WORDS : PROBE_WORDS,
  });
  words = seeded.words;
  reader = await openStoreReadOnly(location);
  dashboard = await startDashboard(reader, { host: '127.0.0.1', port: 0, pollMs: 300 });
});

test.afterAll(async () => {
  await dashboard?.close();
  await reader?.close();
});

/** Opens a view and holds it to the house rules: no script from the data ran, no dialog, axe clean. */
async function open(page: Page, url: string): Promise<void> {
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const response = await page.goto(new URL(url, dashboard.url).href);
  expect(response?.status(), url).toBe(200);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), url).toBeUndefined();
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => `${v.id} (${v.nodes.length})`);
  });
  expect(violations, `axe on ${url}`).toEqual([]);
}

async function docsScreenshot(page: Page, name: string): Promise<void> {
  const shot = await page.screenshot({ fullPage: true });
  await test.info().attach(`${name}.png`, { body: shot, contentType: 'image/png' });
  if (DOCS_SCREENSHOTS) {
    // The README shows a team's own words: no string of the corpus reaches its screenshots.
    const text = await page.locator('body').innerText();
    for (const probe of [...XSS, XSS_FILE]) expect(text, `the ${name} screenshot shows ${probe}`).not.toContain(probe);
    fs.mkdirSync(DOCS, { recursive: true });
    fs.writeFileSync(path.join(DOCS, `${name}.png`), shot);
  }
}

test('release: demo is blocked by its failing pack and a hold, local passes with the hold as a warning; the corpus shows as text', async ({
  page,
}) => {
  await open(page, '/');
  const demo = page.getByRole('region', { name: /^demo/ });
  await expect(demo.getByRole('heading', { level: 2 })).toContainText('BLOCKED');
  const hold = `auth-session held by task ${words.bug.id} (bugfix, lane C-ops): ${words.holdReason}`;
  await expect(demo.locator('.blockers li')).toHaveText([
    `workspace-launch FAIL (lane P-platform): ${words.run.failReason}`,
    hold,
  ]);
  await expect(demo.getByRole('row', { name: /workspace-launch/ })).toContainText('2026-11-22 11:00Z');
  await expect(demo.getByRole('row', { name: /workspace-launch/ }).getByRole('link', { name: /^#/ })).toHaveText(
    `#${seeded.runs.demo[DAYS - 1]}`,
  );
  // On dev the gate warns of a hold and blocks nothing: the view weighs it the same.
  const local = page.getByRole('region', { name: /^local/ });
  await expect(local.getByRole('heading', { level: 2 })).toContainText('PASS_WITH_WARNINGS');
  await expect(local.locator('.blockers')).toHaveCount(0);
  await expect(local.locator('.warnings li')).toHaveText([`${hold} (a warning on dev: it blocks the release stages)`]);
  await docsScreenshot(page, 'release');
});

test('trends: each point is a seeded verdict, and a point opens its run', async ({ page }) => {
  await open(page, '/trends');
  for (const env of ['local', 'demo'])
    for (const pack of PACKS) {
      const chart = page.locator(`svg.chart[data-environment="${env}"][data-pack="${pack}"]`);
      await expect(chart.locator('circle.point')).toHaveCount(STATUSES[env][pack].length);
      expect(await chart.locator('circle.point').evaluateAll(cs => cs.map(c => c.getAttribute('data-status')))).toEqual(
        STATUSES[env][pack],
      );
      expect(
        await chart.locator('circle.point').evaluateAll(cs => cs.map(c => Number(c.getAttribute('data-run')))),
      ).toEqual(seeded.runs[env]);
    }
  await expect(page.getByRole('region', { name: 'auth-session in local' })).toContainText(
    '4 passed, 1 warned, 0 blocked, 1 flaky',
  );
  // The store keeps no time per pack: the bars say they are the whole run's.
  await expect(page.locator('p.note')).toContainText("the bar beneath it is the whole run's duration");
  await expect(page.getByRole('link', { name: `run ${seeded.runs.local[0]}: PASS` }).first()).toHaveAccessibleName(
    /the run took 60.0 s$/,
  );
  await docsScreenshot(page, 'trends');
  const failing = seeded.runs.demo[2];
  await page
    .locator(`svg.chart[data-environment="demo"][data-pack="workspace-launch"] a[href="/runs/${failing}"] circle`)
    .click();
  await expect(page).toHaveURL(new RegExp(`/runs/${failing}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Gate run #${failing}`);
});

test('gate run: packs with reasons and correlation ids, the attestation check, a screenshot inline, the trace in the trace viewer', async ({
  page,
}) => {
  await open(page, `/runs/${seeded.changedRun}`);
  await expect(page.getByRole('region', { name: /Attestation/ })).toContainText('changed');
  await expect(page.locator('.verification')).toContainText('summary.md (changed)');
  await expect(page.locator('code.correlation').first()).toHaveText('corr-auth-session-2026-11-24');
  // Each pack's tests from its evidence.json: the failing one with its project, outcome, first error line, ids; as text.
  const failed = page
    .getByRole('table', { name: 'Tests of workspace-launch' })
    .getByRole('row')
    .filter({ hasText: words.run.failingTest });
  await expect(failed.getByRole('cell')).toHaveText([
    words.run.failingTest,
    'demo-api',
    'unexpected',
    'failed',
    words.run.error.split('\n')[0],
    'corr-test-workspace-launch',
  ]);
  await expect(page.getByRole('region', { name: 'Reports' })).toContainText('No Allure report stored with this run');

  // A failing run's evidence: its failing test's screenshot inline, the trace of its retry.
  await open(page, '/runs');
  await page.getByRole('link', { name: `#${seeded.tracedRun}`, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Gate run #${seeded.tracedRun}`);
  await open(page, page.url());
  // Unsigned, on a dashboard with no key: the files are checked only, as `evidence verify` without --key.
  await expect(page.getByRole('region', { name: /Attestation/ })).toContainText('intact');
  await expect(page.locator('.verification')).toContainText('not signed, so it shows changes but not who attested');
  const screenshot = page.getByRole('img', { name: /failure\.png/ });
  await expect(screenshot).toBeVisible();
  expect(await screenshot.evaluate(img => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
  await docsScreenshot(page, 'gate-run');

  await page.getByRole('link', { name: 'open in the trace viewer' }).click();
  await expect(page).toHaveURL(/\/trace\/index\.html\?trace=/);
  // Playwright's own viewer, served by the dashboard, shows the actions the trace recorded.
  await expect(page.getByText('Click', { exact: false }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/getByRole\('button', \{ name: 'Retry' \}\)/).first()).toBeVisible();
  await docsScreenshot(page, 'trace-viewer');
});

test('queue: tasks by lane and state, filtered and paged; a task page with its history and every kind of record', async ({
  page,
}) => {
  await open(page, '/queue');
  await expect(page.getByRole('cell', { name: words.titles.proposed, exact: true })).toBeVisible();
  await docsScreenshot(page, 'queue');
  await page.getByLabel('State').selectOption('escalated');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/state=escalated/);
  await expect(page.getByRole('table', { name: /^Tasks 1-1 of 1/ }).getByRole('link')).toHaveText([
    words.ids.escalated,
  ]);

  await open(page, '/queue?lane=C-ops&limit=3');
  await expect(page.getByRole('table', { name: 'Tasks 1-3 of 7' })).toBeVisible();
  await page.getByRole('link', { name: 'Next' }).click();
  await expect(page.getByRole('table', { name: 'Tasks 4-6 of 7' })).toBeVisible();

  const task = `/tasks/${encodeURIComponent(seeded.tasks.in_review)}`;
  await open(page, task);
  await expect(page.getByRole('table', { name: /Transitions of/ })).toContainText(words.reviewReason);
  for (const section of ['Acceptance', 'Watcher closeouts', 'Checkpoints', 'Gate runs', 'State history', 'Packet'])
    await expect(page.getByRole('heading', { name: section, level: 2 })).toBeVisible();
  // Each event in words, as `task show` prints it: the corpus's strings in them show as text.
  await expect(page.getByRole('region', { name: 'Watcher closeouts' })).toContainText(`note: ${words.closeoutNote}`);
  await expect(page.getByRole('region', { name: 'Checkpoints' })).toContainText(
    'continue (no checkpoint record in this store)',
  );
  await expect(page.getByRole('region', { name: 'Other events' })).toContainText(
    `session session-old's hold ended, -> in_review: ${words.reviewReason}`,
  );
  // The acceptance items: proven by a file, by a run, by the pack passing in that run; the last by nothing.
  const items = page.getByRole('table', { name: `Acceptance items of ${seeded.tasks.in_review}` }).getByRole('row');
  const [byFile, byRun, byPack, unproven] = words.acceptance.map(a => (typeof a === 'string' ? a : a.text));
  await expect(items.filter({ hasText: byFile }).getByRole('cell').nth(2)).toHaveText('yes');
  await expect(items.filter({ hasText: byRun })).toContainText(`gate run #${seeded.taskRun}: ${words.runProofNote}`);
  await expect(items.filter({ hasText: byPack })).toContainText(
    `gate run #${seeded.taskRun}: auth-session PASS in local`,
  );
  await expect(items.filter({ hasText: unproven }).getByRole('cell').nth(2)).toHaveText('no');
  await docsScreenshot(page, 'task');

  // The proving file and the watched run's log open as they were stored, as plain text.
  await items.filter({ hasText: byFile }).getByRole('link', { name: words.fileProof.file }).click();
  await expect(page).toHaveURL(/\/proof-files\//);
  expect(await page.locator('pre').textContent()).toBe(words.fileProof.content);
  await page.goBack();
  await page.getByRole('region', { name: 'Watcher closeouts' }).locator('a.log-link').click();
  await expect(page).toHaveURL(/\/watch-logs\//);
  expect(await page.locator('pre').textContent()).toBe(words.closeout.log);
});

test('health: the stale hold, the escalation, the hold in force; new data reloads the page by itself', async ({
  page,
}) => {
  await open(page, '/health');
  await expect(page.getByRole('table', { name: /no recent heartbeat/ })).toContainText(words.stale.id);
  await expect(page.getByRole('table', { name: 'Latest escalations' })).toContainText(words.escalation.reason);
  await expect(page.getByRole('table', { name: 'Release holds that hold now' })).toContainText(words.bug.id);
  const debt = page.getByRole('table', { name: /Evidence each task owes/ });
  for (const [task, rule] of [
    [words.ids.done, 'gate-run-missing'],
    [words.ids.escalated, 'escalation-unanswered'],
    [words.stale.id, 'checkpoint-stale'],
  ]) {
    const row = debt.getByRole('row').filter({ hasText: task });
    await expect(row).toContainText('NEW');
    await expect(row).toContainText(rule);
  }
  await expect(page.locator('#live')).toHaveText('Live: this page reloads when the store changes.');
  await docsScreenshot(page, 'health');

  const writer = await openStore(location);
  try {
    const reloaded = page.waitForEvent('load');
    await writer.createTask({ id: 'T-NEW', title: 'arrived while watching' }, 'coordinator');
    await reloaded;
    await open(page, '/queue?state=proposed');
    await expect(page.getByRole('link', { name: 'T-NEW' })).toBeVisible();
  } finally {
    await writer.close();
  }
  expect(dialogs).toEqual([]);
});

test('live: a write made before the page listened still reloads it; a heartbeat reloads only a page that shows heartbeats', async ({
  page,
}) => {
  const writer = await openStore(location);
  try {
    // The page's first question for the change stamp held back until a write is made: the page was
    // rendered before the write.
    let connect!: () => void;
    const held = new Promise<void>(resolve => (connect = resolve));
    await page.route('**/api/change-stamp', async route => {
      await held;
      await route.continue();
    });
    await open(page, '/queue?state=proposed');
    await expect(page.getByRole('link', { name: 'T-EARLY' })).toHaveCount(0);
    await writer.createTask({ id: 'T-EARLY', title: 'written before the page listened' }, 'coordinator');
    const reloaded = page.waitForEvent('load');
    connect();
    await reloaded;
    await expect(page.getByRole('link', { name: 'T-EARLY' })).toBeVisible();
    await page.unroute('**/api/change-stamp');

    // The release view shows no heartbeat: a session's heartbeat leaves it be.
    await open(page, '/');
    await expect(page.locator('#live')).toHaveText('Live: this page reloads when the store changes.');
    let loads = 0;
    page.on('load', () => loads++);
    await writer.heartbeat('session-live');
    // Nothing to wait for but time: five of the page's polls (pollMs 300).
    await page.waitForTimeout(1_500);
    expect(loads, 'the release view reloaded for a heartbeat').toBe(0);

    // The health view shows heartbeat times: it reloads.
    await open(page, '/health');
    await expect(page.locator('#live')).toHaveText('Live: this page reloads when the store changes.');
    const healthReloaded = page.waitForEvent('load');
    await writer.heartbeat('session-live');
    await healthReloaded;
  } finally {
    await writer.close();
  }
});

test('eight tabs open at once each load, go live and reload on a write: no page holds a connection open', async ({
  page,
}) => {
  // Before: each page held /api/events open, and a browser opens six connections to a host: the
  // seventh tab of the dashboard never loaded.
  const tabs = [page];
  for (let i = 1; i < 8; i++) tabs.push(await page.context().newPage());
  for (const [i, tab] of tabs.entries()) {
    const response = await tab.goto(new URL(`/queue?offset=${i}`, dashboard.url).href, { timeout: 15_000 });
    expect(response?.status(), `tab ${i + 1}`).toBe(200);
    await expect(tab.locator('#live'), `tab ${i + 1}`).toHaveText('Live: this page reloads when the store changes.');
  }
  const writer = await openStore(location);
  try {
    const reloaded = tabs.map(tab => tab.waitForEvent('load'));
    await writer.createTask({ id: 'T-TABS', title: 'seen by every tab' }, 'coordinator');
    await Promise.all(reloaded);
  } finally {
    await writer.close();
    for (const tab of tabs.slice(1)) await tab.close();
  }
});

test('a page opened just after a write is not reloaded for it: it was rendered with it', async ({ page }) => {
  // A dashboard that looks at the store seldom: the write below is one it has not seen when the
  // second page opens. Before: that page was told the stamp from before the write, unlike the one it
  // was rendered with, and reloaded, and was told it again, until the next look.
  const seldom = await startDashboard(reader, { host: '127.0.0.1', port: 0, pollMs: 600_000 });
  const writer = await openStore(location);
  const second = await page.context().newPage();
  try {
    await page.goto(new URL('/queue', seldom.url).href);
    await expect(page.locator('#live')).toHaveText('Live: this page reloads when the store changes.');
    await writer.addEvent(seeded.tasks.ready, 'note', { note: 'written between two pages' }, 'coordinator');
    const documents: string[] = [];
    second.on('request', request => {
      if (request.resourceType() === 'document') documents.push(request.url());
    });
    const checked = second.waitForResponse(response => new URL(response.url()).pathname === '/api/change-stamp');
    await second.goto(new URL('/queue', seldom.url).href);
    await checked;
    await expect(second.locator('#live')).toHaveText('Live: this page reloads when the store changes.');
    expect(await second.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON().type)).toBe('navigate');
    expect(documents).toHaveLength(1);
  } finally {
    await second.close();
    await writer.close();
    await seldom.close();
  }
});

test('on a phone-sized screen (360 px) no view scrolls sideways: wide tables scroll inside themselves', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const url of [
    '/',
    '/trends',
    `/runs/${seeded.changedRun}`,
    '/runs',
    '/queue',
    `/tasks/${seeded.tasks.in_review}`,
    '/health',
  ]) {
    await open(page, url);
    const wider = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      // The elements that stick out, to name in the failure.
      const out = Array.from(document.body.querySelectorAll('*'))
        .filter(element => element.getBoundingClientRect().right > width + 1)
        .filter(element => !element.parentElement?.closest('.scroll, table, pre, svg'))
        .map(element => `${element.tagName.toLowerCase()}${element.className ? `.${element.className}` : ''}`);
      return { scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 5) };
    });
    expect(wider.scrollWidth, `${url} sticks out: ${wider.out.join(', ')}`).toBeLessThanOrEqual(wider.width);
  }
});
