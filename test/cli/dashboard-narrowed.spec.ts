import { expect, test } from '@playwright/test';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/server.ts';
import { gateRunPageSchema } from '../../src/store/dashboard-schema.ts';
import { openStore } from '../../src/store/open.ts';
import { openStoreReadOnly } from '../../src/store/open-read-only.ts';
import type { QueueStore } from '../../src/store/queue-store.ts';
import { dayStart, recordRun, type RunSpec } from '../helpers/dashboard-seed.ts';

/**
 * Narrowed gate runs on the dashboard (the server run in this process over a store of its own): a
 * run given --grep, a file filter, part of the projects or --shard is recorded as narrowed and
 * counts for no release; the pages say so, and what narrowed it, where they said "release gate".
 */
test.describe.configure({ mode: 'serial' });

const NARROWED = ['--grep=signs in', 'not selected: local-browser'];

let location: { kind: 'sqlite'; path: string };
let reader: QueueStore;
let dashboard: RunningDashboard;

test.beforeAll(async ({}, testInfo) => {
  location = { kind: 'sqlite', path: testInfo.outputPath('store/queue.db') };
  await (await openStore(location)).close();
  reader = await openStoreReadOnly(location);
  dashboard = await startDashboard(reader, { host: '127.0.0.1', port: 0 });
});

test.afterAll(async () => {
  await dashboard?.close();
  await reader?.close();
});

/** Records a run of local on day `day`, given what narrowed it and its task. */
async function record(dir: string, day: number, spec: Partial<RunSpec>): Promise<number> {
  const writer = await openStore(location);
  try {
    return await recordRun(writer, dir, {
      taskId: null,
      environment: 'local',
      stage: 'dev',
      startedAt: dayStart(day, 'local'),
      durationMs: 1_000,
      packs: [{ pack: 'auth-session', status: 'PASS' }],
      ...spec,
    });
  } finally {
    await writer.close();
  }
}

async function text(path: string): Promise<string> {
  const html = await (await fetch(new URL(path, dashboard.url))).text();
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.:;)])/g, '$1')
    .replace(/\( /g, '(');
}

/** The text of each cell of the row whose first cell is `#id`, in the runs list. */
async function runRow(id: number): Promise<string[]> {
  const html = await (await fetch(new URL('/runs', dashboard.url))).text();
  for (const row of html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    const cells = [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(c =>
      c[1]
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    if (cells[0] === `#${id}`) return cells;
  }
  throw new Error(`no row of run #${id} in the runs list`);
}

test('with only a narrowed run, the release view says why it is empty, and the run says it is narrowed, not a release gate', async ({}, testInfo) => {
  const narrowed = await record(testInfo.outputPath('run-narrowed'), 0, { narrowed: NARROWED });

  // Before: "No release-gate runs are recorded yet. A gate run on no task (...) shows here once it is
  // recorded", while one was, and said nothing of why it did not show.
  expect(await text('/')).toContain(
    "No release-gate runs are recorded yet. A gate run on no task (no TASK_ID, outside a task's worktree) that ran " +
      'the whole environment shows here once it is recorded: by the gate when packgate.yaml has store:, or with ' +
      'npx packgate gate record. Runs narrowed by a filter or a shard (--grep, a file filter, part of the ' +
      'projects, --shard), drills with faults injected and runs with plain HTTP allowed do not count; the gate ' +
      'runs list shows them.',
  );

  // Before: "Task none: a release-gate run".
  expect(await text(`/runs/${narrowed}`)).toContain(
    'Task none: a narrowed run (--grep=signs in; not selected: local-browser), not a release-gate run: the release ' +
      'view and trends do not count it',
  );

  // Before: the list's column Task said "release gate", and the API's runs had no `narrowed`.
  expect((await runRow(narrowed))[5]).toBe('narrowed: --grep=signs in; not selected: local-browser (not counted)');
  const page = gateRunPageSchema.parse(await (await fetch(new URL('/api/runs', dashboard.url))).json());
  expect(page.runs.map(r => [r.id, r.narrowed])).toEqual([[narrowed, NARROWED]]);
  const openapi = (await (await fetch(new URL('/api/openapi.json', dashboard.url))).json()) as {
    paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>;
  };
  const runs = openapi.paths['/api/runs'].get.responses['200'].content['application/json'].schema as {
    properties: { runs: { items: { properties: Record<string, unknown>; required: string[] } } };
  };
  expect(runs.properties.runs.items.properties.narrowed).toMatchObject({ type: 'array', items: { type: 'string' } });
  expect(runs.properties.runs.items.required).toContain('narrowed');
});

test("the runs list tells a release-gate run, a narrowed one and a task's apart; the release view counts the whole run only", async ({}, testInfo) => {
  const whole = await record(testInfo.outputPath('run-whole'), 1, {});
  const grep = await record(testInfo.outputPath('run-grep'), 2, { narrowed: ['--shard=2/4'] });
  const writer = await openStore(location);
  await writer.createTask({ id: 'T-1', title: 'a task', ownerLane: 'C-ops' }, 'test');
  await writer.close();
  const onTask = await record(testInfo.outputPath('run-task'), 3, { taskId: 'T-1' });
  expect((await runRow(whole))[5]).toBe('release gate');
  expect((await runRow(grep))[5]).toBe('narrowed: --shard=2/4 (not counted)');
  expect((await runRow(onTask))[5]).toBe('task T-1');
  const page = gateRunPageSchema.parse(await (await fetch(new URL('/api/runs', dashboard.url))).json());
  expect(page.runs.map(r => [r.id, r.narrowed])).toEqual([
    [onTask, []],
    [grep, ['--shard=2/4']],
    [whole, []],
    [whole - 1, NARROWED],
  ]);
  expect(await text(`/runs/${whole}`)).toContain('Task none: a release-gate run');
  expect(await text('/')).toContain(`Latest release-gate run: #${whole}`);
});

test("a narrowed run on a task says so on its page, in the runs list and in the task's runs table, as one on no task does", async ({}, testInfo) => {
  const writer = await openStore(location);
  await writer.createTask({ id: 'T-2', title: 'another task', ownerLane: 'C-ops' }, 'test');
  await writer.close();
  const narrowed = await record(testInfo.outputPath('run-task-narrowed'), 4, { taskId: 'T-2', narrowed: NARROWED });
  const whole = await record(testInfo.outputPath('run-task-whole'), 5, { taskId: 'T-2' });

  // Before: "Task T-2", "task T-2" and no word of it in the task's table, as for the whole run.
  expect(await text(`/runs/${narrowed}`)).toContain(
    'Task T-2: a narrowed run (--grep=signs in; not selected: local-browser), not of the whole environment',
  );
  expect(await text(`/runs/${whole}`)).toMatch(/Task T-2 Started/);
  expect((await runRow(narrowed))[5]).toBe('task T-2, narrowed: --grep=signs in; not selected: local-browser');
  expect((await runRow(whole))[5]).toBe('task T-2');

  const task = await (await fetch(new URL('/tasks/T-2', dashboard.url))).text();
  const table = task.split('<table>').find(part => part.includes('Gate runs of T-2')) ?? '';
  const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(row =>
    [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(c =>
      c[1]
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
  expect(rows.map(cells => [cells[0], cells[3]])).toEqual([
    ['Run', 'Ran'],
    [`#${whole}`, 'the whole environment'],
    [`#${narrowed}`, 'narrowed: --grep=signs in; not selected: local-browser'],
  ]);
});
