import { expect, test } from '@playwright/test';
import { escapeText } from '../../src/dashboard/html.ts';
import { startDashboardCli } from '../helpers/dashboard-server.ts';
import { writeGateOutput } from '../helpers/gate-output.ts';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// The CLI runs a few times, a process each (seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

/** The rows of a table on a page, by its caption: each cell's text, tags and runs of space taken out. */
function rows(page: string, caption: string): string[][] {
  const table = [...page.matchAll(/<table>([\s\S]*?)<\/table>/g)].find(([, t]) => t.includes(caption))?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
    [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(([, c]) =>
      c
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

test("a task page shows its acceptance items proven or not and by what, as its handoff lists them; `task prove`'s events beside them", async ({}, testInfo) => {
  // The example packet's items: two in words, proven by `task prove`, and one of its pack (auth-session),
  // proven by a run on the task in which the pack passed.
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  writeGateOutput(`${project.dir}/gate-results`);
  const recorded = await project.packgate(['gate', 'record', '--task', EXAMPLE_TASK]);
  expect(recorded.exitCode, recorded.output).toBe(0);
  const proved = await project.packgate([
    'task',
    'prove',
    EXAMPLE_TASK,
    '--item',
    '1',
    '--run',
    '1',
    '--note',
    'the api layer',
  ]);
  expect(proved.exitCode, proved.output).toBe(0);

  const dashboard = await startDashboardCli(project.temp, ['--port', '0']);
  try {
    const page = await (await fetch(new URL(`/tasks/${EXAMPLE_TASK}`, dashboard.url))).text();
    // Before: no acceptance items anywhere on the page, and the proof under "Other events".
    expect(rows(page, `Acceptance items of ${EXAMPLE_TASK}`)).toEqual([
      ['1', 'OIDC callback smoke blocks failure', 'yes', 'gate run #1: the api layer'],
      [
        '2',
        'browser login plan recorded',
        'no',
        escapeText(
          `no proof recorded: record one with \`packgate task prove ${EXAMPLE_TASK} --item 2 --run <gate run> | --file <file>\``,
        ),
      ],
      [
        '3',
        'deployed app can start OIDC auth, Keycloak accepts callback, user can land in shell',
        'yes',
        'gate run #1: auth-session PASS in local',
      ],
    ]);
    const section = /<section aria-labelledby="ev-proof">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    expect(section).toContain('<h2 id="ev-proof">Acceptance</h2>');
    expect(section).toContain('<p>acceptance item 1 proven by gate run #1: the api layer</p>');
    expect(page).not.toContain('Other events');

    // The API carries the same items, as the page reads them.
    const api = (await (await fetch(new URL(`/api/tasks/${EXAMPLE_TASK}`, dashboard.url))).json()) as {
      acceptance: Array<{ item: number; proof: string[] }>;
    };
    expect(api.acceptance.map(a => [a.item, a.proof])).toEqual([
      [1, ['gate run #1: the api layer']],
      [2, []],
      [3, ['gate run #1: auth-session PASS in local']],
    ]);
  } finally {
    await dashboard.stop();
  }
});
