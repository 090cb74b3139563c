import { expect, test } from '@playwright/test';
import { taskDetailSchema } from '../../src/dashboard/api-schemas.ts';
import { startDashboardCli } from '../helpers/dashboard-server.ts';
import { TaskProject } from '../helpers/task-project.ts';

/**
 * The dashboard over a store a coordinator wrote with the CLI (checkpoints, a split): what the
 * coordinator recorded is what the task page shows. Pages are read as HTML; no browser is needed.
 */
test.describe.configure({ timeout: 180_000 });

const FIELDS = ['--drift', 'none', '--blocked-on', 'C-ops: the IdP config', '--next', 'ask C-ops', '--next', 'wire it'];

test("a task's page shows its checkpoints as recorded: numbered per task, the seven fields, what each decision did", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  for (const id of ['OTHER-1', 'SPLIT-1']) await project.examplePacket({ TASK_ID: id, GOAL: `goal of ${id}` });
  // Another task's checkpoint first, so the store's ids and the task's numbers differ.
  const checkpoint = async (id: string, args: string[]) => {
    const result = await project.packgate(['checkpoint', '--task', id, ...FIELDS, ...args]);
    expect(result.exitCode, result.output).toBe(0);
  };
  await checkpoint('OTHER-1', ['--changed', 'nothing', '--decision', 'continue']);
  await checkpoint('SPLIT-1', ['--changed', 'the callback half works', '--decision', 'continue']);
  await checkpoint('SPLIT-1', [
    '--changed',
    'two halves <b>found</b>',
    '--original-goal',
    'a narrower goal',
    '--decision',
    'split',
    '--split',
    'SPLIT-1a: the callback half',
    '--split',
    'SPLIT-1b: the logout half',
  ]);

  const dashboard = await startDashboardCli(project.temp, ['--port', '0']);
  try {
    const page = await (await fetch(new URL('/tasks/SPLIT-1', dashboard.url))).text();
    // Before: only the events pointing at each checkpoint, as JSON ({"checkpoint": 3, "decision": "split"}):
    // the store's ids, none of what the coordinator wrote.
    const section = /<section aria-labelledby="ev-checkpoint">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    const rows = [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(m =>
      m[1]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(rows.slice(1)).toEqual([
      expect.stringMatching(
        /^#1 \S+ \S+ continue tester goal of SPLIT-1 SPLIT-1: ready the callback half works none C-ops: the IdP config ask C-ops wire it$/,
      ),
      expect.stringMatching(
        /^#2 \S+ \S+ split \(moved to parked; split into SPLIT-1a SPLIT-1b \) tester a narrower goal \(GOAL CHANGED\) SPLIT-1: ready two halves &lt;b&gt;found&lt;\/b&gt; none /,
      ),
    ]);
    expect(section).toContain('<a href="/tasks/SPLIT-1a">SPLIT-1a</a>');
    expect(section).not.toContain('&quot;checkpoint&quot;');

    // The API has them in full, as `task show --json` does.
    const detail = taskDetailSchema.parse(await (await fetch(new URL('/api/tasks/SPLIT-1', dashboard.url))).json());
    expect(detail.checkpoints.map(c => [c.number, c.decision, c.goalChanged, c.outcome.splitInto])).toEqual([
      [1, 'continue', false, []],
      [2, 'split', true, ['SPLIT-1a', 'SPLIT-1b']],
    ]);
  } finally {
    await dashboard.stop();
  }
});

test('the queue\'s row of tasks with no lane ("-") links to those tasks only, not to every lane\'s', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const entry = (id: string, lane?: string) => ({
    id,
    title: `task ${id}`,
    state: 'proposed',
    lane,
    created_at: '2024-01-01',
  });
  project.write({
    'backlog.json': JSON.stringify([entry('NOLANE-1'), entry('LANED-1', 'C-ops'), entry('LANED-2', 'A-web')]),
  });
  const imported = await project.packgate(['queue', 'import', 'backlog.json']);
  expect(imported.exitCode, imported.output).toBe(0);

  const dashboard = await startDashboardCli(project.temp, ['--port', '0']);
  try {
    const queue = await (await fetch(new URL('/queue', dashboard.url))).text();
    const row = /<tr>\s*<td>-<\/td>([\s\S]*?)<\/tr>/.exec(queue)?.[1] ?? '';
    // Before: href="/queue?state=proposed", which lists all three proposed tasks under a count of 1.
    const link = /<a href="([^"]+)">1<\/a>/.exec(row)?.[1]?.replace(/&amp;/g, '&');
    expect(link).toBe('/queue?lane=-&state=proposed');
    const filtered = await (await fetch(new URL(link!, dashboard.url))).text();
    expect(filtered).toContain('Tasks 1-1 of 1');
    expect(filtered).toContain('<a href="/tasks/NOLANE-1">NOLANE-1</a>');
    expect(filtered).not.toContain('LANED-');
    const api = (await (await fetch(new URL('/api/tasks?lane=-', dashboard.url))).json()) as {
      tasks: Array<{ id: string }>;
    };
    expect(api.tasks.map(t => t.id)).toEqual(['NOLANE-1']);
  } finally {
    await dashboard.stop();
  }
});

test('health lists new debt first, as queue health does, and says how many tasks owe each kind', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const done = (id: string, createdAt: string) => ({ id, title: `task ${id}`, state: 'done', created_at: createdAt });
  // Both before legacy_before; NEW-1, the later, is marked new again: by date alone it would list second.
  project.write({ 'backlog.json': JSON.stringify([done('OLD-1', '2024-01-01'), done('NEW-1', '2024-01-02')]) });
  for (const args of [
    ['queue', 'import', 'backlog.json'],
    ['queue', 'mark-legacy', 'NEW-1', '--clear'],
  ]) {
    const result = await project.packgate(args);
    expect(result.exitCode, result.output).toBe(0);
  }

  const dashboard = await startDashboardCli(project.temp, ['--port', '0']);
  try {
    const health = await (await fetch(new URL('/health', dashboard.url))).text();
    const section = /<section aria-labelledby="debt">([\s\S]*?)<\/section>/.exec(health)?.[1] ?? '';
    // Before: "New evidence debt: queue health fails." over OLD-1's row, then NEW-1's.
    expect(section.replace(/\s+/g, ' ')).toContain(
      '1 task with new evidence debt: queue health fails. 1 task with legacy debt, listed, not failed.',
    );
    const ids = [...section.matchAll(/<a href="\/tasks\/([^"]+)">/g)].map(m => m[1]);
    expect(ids).toEqual(['NEW-1', 'OLD-1']);
  } finally {
    await dashboard.stop();
  }
});

test('a queue page past the last one says the tasks are on earlier pages, and Previous goes to the last page', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const entry = (i: number) => ({ id: `T-${i}`, title: `task ${i}`, state: 'proposed', created_at: '2024-01-01' });
  project.write({ 'backlog.json': JSON.stringify([1, 2, 3, 4, 5].map(entry)) });
  const imported = await project.packgate(['queue', 'import', 'backlog.json']);
  expect(imported.exitCode, imported.output).toBe(0);

  const dashboard = await startDashboardCli(project.temp, ['--port', '0']);
  try {
    const page = await (await fetch(new URL('/queue?limit=2&offset=10', dashboard.url))).text();
    // Before: "No tasks match." (five do), and Previous to offset 8, as empty again.
    expect(page).toContain('No tasks on this page: 5 match, on earlier pages.');
    expect(page).toContain('<a rel="prev" href="/queue?offset=4&amp;limit=2">Previous</a>');
    expect(page).not.toContain('rel="next"');
    const last = await (await fetch(new URL('/queue?offset=4&limit=2', dashboard.url))).text();
    expect(last).toContain('Tasks 5-5 of 5');
  } finally {
    await dashboard.stop();
  }
});

test('the release view over a store with tasks and no release-gate run says how a run gets there', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1' });
  const dashboard = await startDashboardCli(project.temp, ['--port', '0']);
  try {
    const page = await (await fetch(new URL('/', dashboard.url))).text();
    const empty = (/<p class="empty">([\s\S]*?)<\/p>/.exec(page)?.[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ');
    // Before: "A gate run recorded on no task (packgate sinks of a release gate) shows here."
    expect(empty.trim()).toBe(
      "No release-gate runs are recorded yet. A gate run on no task (no TASK_ID, outside a task's worktree) that " +
        'ran the whole environment shows here once it is recorded: by the gate when packgate.yaml has store:, or ' +
        'with npx packgate gate record. Runs narrowed by a filter or a shard (--grep, a file filter, part of the ' +
        'projects, --shard), drills with faults injected and runs with plain HTTP allowed do not count; the gate ' +
        'runs list shows them.',
    );
  } finally {
    await dashboard.stop();
  }
});
