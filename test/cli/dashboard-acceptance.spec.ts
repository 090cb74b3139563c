import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { escapeText } from '../../src/dashboard/html.ts';
import { EVIDENCE_CSP } from '../../src/dashboard/http-kit.ts';
import { openStore } from '../../src/store/open.ts';
import { rawRequest, startDashboardCli } from '../helpers/dashboard-server.ts';
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

test("a proof's file opens from the task's page: found by its proof's record, never by a path; a changed file is not served", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const plan = '# Browser login plan\n\n1. open /login\n2. sign in as <b>demo</b>\n';
  project.temp.write({ 'notes/login-plan.md': plan });
  const proof = ['--item', '2', '--file', 'notes/login-plan.md', '--note', 'walked through with QA'];
  const proved = await project.packgate(['task', 'prove', EXAMPLE_TASK, ...proof]);
  expect(proved.exitCode, proved.output).toBe(0);
  // A proof by a gate run: it records no file, and its event serves none.
  writeGateOutput(`${project.dir}/gate-results`);
  const recorded = await project.packgate(['gate', 'record', '--task', EXAMPLE_TASK]);
  expect(recorded.exitCode, recorded.output).toBe(0);
  const byRun = await project.packgate(['task', 'prove', EXAMPLE_TASK, '--item', '1', '--run', '1']);
  expect(byRun.exitCode, byRun.output).toBe(0);

  const dashboard = await startDashboardCli(project.temp, ['--port', '0']);
  try {
    const api = (await (await fetch(new URL(`/api/tasks/${EXAMPLE_TASK}`, dashboard.url))).json()) as {
      events: Array<{ id: number; kind: string; body: { digest?: string } }>;
    };
    const [proof, runProof] = api.events.filter(e => e.kind === 'proof');
    expect(runProof.body.digest).toBeUndefined();
    const digest = proof.body.digest!;
    const link = `/proof-files/${EXAMPLE_TASK}/${proof.id}`;
    const page = await (await fetch(new URL(`/tasks/${EXAMPLE_TASK}`, dashboard.url))).text();
    // Before: the file's name and digest as text in the item's row and the proof's words, nothing to open.
    const anchor = `<a class="proof-file" href="${link}"><code>notes/login-plan.md</code></a>`;
    expect(rows(page, `Acceptance items of ${EXAMPLE_TASK}`)[1]).toEqual([
      '2',
      'browser login plan recorded',
      'yes',
      `file notes/login-plan.md (sha256 ${digest}): walked through with QA`,
    ]);
    expect(page).toContain(`file ${anchor} (sha256 ${digest}): walked through with QA`);
    expect(page).toContain(`open <code>notes/login-plan.md</code></a>`);

    const response = await fetch(new URL(link, dashboard.url));
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/plain; charset=utf-8']);
    // In no page context of ours, as a run's evidence: markup in it is text, a script in it does nothing.
    expect(response.headers.get('content-security-policy')).toBe(EVIDENCE_CSP);
    expect(await response.text()).toBe(plan);

    // Found by the proof's record only: another task, a proof of no file, another event, a path in its place are 404s.
    for (const path of [
      `/proof-files/C-OTHER/${proof.id}`,
      `/proof-files/${EXAMPLE_TASK}/${runProof.id}`,
      `/proof-files/${EXAMPLE_TASK}/${proof.id + 100}`,
      `/proof-files/${EXAMPLE_TASK}/0${proof.id}`,
      `/proof-files/${EXAMPLE_TASK}`,
      `/proof-files/${EXAMPLE_TASK}/notes%2Flogin-plan.md`,
      `/proof-files/${EXAMPLE_TASK}/${proof.id}/..%2F..%2Fnotes%2Flogin-plan.md`,
      `/proof-files/${EXAMPLE_TASK}/..%2F..%2Fnotes%2Flogin-plan.md`,
      `/proof-files/..%2F..%2Fnotes%2Flogin-plan.md/${proof.id}`,
      `/proof-files/${EXAMPLE_TASK}/${proof.id}/../../../notes/login-plan.md`,
    ]) {
      const refused = await rawRequest(dashboard.url, path);
      expect([refused.status, refused.headers['content-type']], path).toEqual([404, 'text/html; charset=utf-8']);
      expect(refused.body, path).not.toContain('Browser login plan');
    }

    // A file changed in the store since it was stored no longer hashes to its digest: not served.
    const store = await openStore({ kind: 'sqlite', path: `${project.dir}/.packgate/queue.db` });
    const blobFile = store.blobs.locate(digest);
    await store.close();
    fs.chmodSync(blobFile, 0o644);
    fs.writeFileSync(blobFile, plan.replace('demo', 'admin'));
    const changed = await fetch(new URL(link, dashboard.url));
    expect(changed.status).toBe(404);
    expect(await changed.text()).toContain(`no intact proof file notes/login-plan.md of task ${EXAMPLE_TASK}`);
  } finally {
    await dashboard.stop();
  }
});

test('a proof file or watch log of a task id a typo away from a stored one: the 404 says which task was meant', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  project.temp.write({ 'notes/login-plan.md': '# Browser login plan\n' });
  const proof = ['--item', '2', '--file', 'notes/login-plan.md'];
  const proved = await project.packgate(['task', 'prove', EXAMPLE_TASK, ...proof]);
  expect(proved.exitCode, proved.output).toBe(0);
  const typo = EXAMPLE_TASK.replace(/1$/, '2');
  const meant = `no task ${typo}: did you mean "${EXAMPLE_TASK}"?`;

  const dashboard = await startDashboardCli(project.temp, ['--port', '0']);
  try {
    // Before: "no file recorded as a proof by event #1 of task ...-002", as if the event were wrong,
    // and the proof's page led back to the release view.
    for (const path of [`/proof-files/${typo}/1`, `/watch-logs/${typo}/1`]) {
      const response = await rawRequest(dashboard.url, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toContain(`<p class="error">${escapeText(meant)}</p>`);
      expect(response.body, path).toContain(
        `<p class="meant"><a href="/tasks/${EXAMPLE_TASK}">Go to task ${EXAMPLE_TASK}</a></p>`,
      );
      expect(response.body, path).toContain('<a href="/queue">Back to the queue view</a>');
    }
  } finally {
    await dashboard.stop();
  }
});
