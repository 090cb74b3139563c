import { forEachAdapter, expect, test } from '../store/fixtures.ts';
import { TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 240_000 });

type Report = {
  ok: boolean;
  tasks: Array<{ id: string; debt: 'legacy' | 'new'; legacyReason: string | null; problems: Array<{ rule: string }> }>;
  totals: { tasks: number; withDebt: { legacy: number; new: number } };
};

const LEGACY = `# a backlog from before the queue store
- id: OLD-1
  title: an old feature, done long ago
  state: done
  kind: feature
  lane: C-ops
  created_at: 2019-05-01
- id: OLD-2
  title: an old bug fix, handed off, never proven
  state: in_review
  kind: bugfix
  lane: C-ops
  created_at: 2019-06-01T10:00:00Z
  events:
    - { kind: handoff, at: 2019-06-02, body: { files: [] } }
- id: MARKED-1
  title: recent, but migrated from the old tracker
  state: done
  created_at: 2024-01-01
  legacy_reason: migrated from the old tracker
- id: FINE-1
  title: done with its handoff
  state: done
  created_at: 2019-01-01
  events: [{ kind: handoff, at: 2019-01-02 }]
`;

const NEW = `- id: NEW-1
  title: done last year without a handoff
  state: done
  kind: chore
  lane: C-ops
  created_at: 2024-03-01
`;

// The cutoff in the temp copy is 2020-01-01 whatever the date today: 2019's tasks are legacy, 2024's new.
function project(testInfo: Parameters<typeof TaskProject.create>[0]) {
  return TaskProject.create(testInfo, { git: false }).then(p => {
    p.write({ 'governance.yaml': p.read('governance.yaml').replace(/legacy_before: .*/, 'legacy_before: 2020-01-01') });
    return p;
  });
}

forEachAdapter(adapter => {
  test(`queue import and queue health on ${adapter}: legacy debt alone exits 0 and is listed; new debt exits 1 and both are listed`, async ({
    storeLocation,
  }, testInfo) => {
    const p = await project(testInfo);
    const env: Record<string, string> =
      storeLocation.kind === 'postgres' ? { PACKGATE_STORE_URL: storeLocation.url } : {};
    p.write({
      'legacy.yaml': LEGACY,
      'new.json': JSON.stringify([{ id: 'NEW-1', title: 'x', state: 'done', created_at: '2024-03-01' }]),
      'new.yaml': NEW,
    });

    const imported = await p.json<{ imported: string[] }>(['queue', 'import', 'legacy.yaml'], env);
    expect(imported.result.exitCode, imported.result.output).toBe(0);
    expect(imported.body.imported).toEqual(['OLD-1', 'OLD-2', 'MARKED-1', 'FINE-1']);

    const legacyOnly = await p.json<{ report: Report }>(['queue', 'health'], env);
    expect(legacyOnly.result.exitCode, legacyOnly.result.output).toBe(0);
    expect(legacyOnly.body.report.ok).toBe(true);
    expect((legacyOnly.body as unknown as { ok: boolean }).ok).toBe(true);
    expect(legacyOnly.body.report.tasks.map(t => [t.id, t.debt, t.legacyReason, t.problems.map(x => x.rule)])).toEqual([
      ['OLD-1', 'legacy', 'created before 2020-01-01', ['no-handoff']],
      ['OLD-2', 'legacy', 'created before 2020-01-01', ['no-fix-record', 'regression-not-accepted']],
      ['MARKED-1', 'legacy', 'migrated from the old tracker', ['no-handoff']],
    ]);
    const table = await p.packgate(['queue', 'health'], env);
    expect(table.stdout).toContain('queue health: 4 tasks; 0 with new debt, 3 with legacy debt');
    expect(table.stdout).toMatch(
      /OLD-2 +bugfix +in_review +no-fix-record +legacy \(created before 2020-01-01\) +no definition of done/,
    );
    expect(table.stdout).toContain('ok: no new debt\n');

    const again = await p.packgate(['queue', 'import', 'legacy.yaml'], env);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(
      'all 4 tasks to import are already in the store; nothing imported:\n  OLD-1\n  OLD-2\n  MARKED-1\n  FINE-1\n',
    );

    expect((await p.packgate(['queue', 'import', 'new.yaml'], env)).exitCode).toBe(0);
    const mixed = await p.json<{ report: Report }>(['queue', 'health'], env);
    expect(mixed.result.exitCode).toBe(1);
    expect((mixed.body as unknown as { ok: boolean }).ok).toBe(false);
    expect(mixed.body.report).toMatchObject({ ok: false, totals: { tasks: 5, withDebt: { legacy: 3, new: 1 } } });
    expect(mixed.body.report.tasks.map(t => `${t.id}:${t.debt}`)).toEqual([
      'OLD-1:legacy',
      'OLD-2:legacy',
      'MARKED-1:legacy',
      'NEW-1:new',
    ]);
    const human = await p.packgate(['queue', 'health'], env);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toMatch(/\nNEW-1 +chore +done +no-handoff +NEW +done without a handoff\n/);
    // Before: NOT OK and nothing on what to do, though no command adds a handoff to a task already done.
    expect(human.stdout).toContain(
      'NOT OK: 1 task with new debt (exit 1); legacy debt is listed, not failed\n' +
        '  hint: record what each DETAIL says is missing; debt no one will pay (a task done without its handoff) ' +
        'is marked legacy: packgate queue mark-legacy NEW-1 --reason "why"\n',
    );

    const unmarked = await p.packgate(['queue', 'mark-legacy', 'NEW-1'], env);
    expect(unmarked.exitCode).toBe(2);
    const marked = await p.packgate(['queue', 'mark-legacy', 'NEW-1', '--reason', 'closed before the cutover'], env);
    expect(marked.stdout).toBe('task NEW-1: its debt is legacy (closed before the cutover)\n');
    const legacyAgain = await p.json<{ report: Report }>(['queue', 'health'], env);
    expect(legacyAgain.result.exitCode).toBe(0);
    expect(legacyAgain.body.report.tasks.at(-1)).toMatchObject({
      id: 'NEW-1',
      debt: 'legacy',
      legacyReason: 'closed before the cutover',
    });
  });

  // Before: "error: unknown option '--new'", exit 2; a CI log had every legacy row to find the new ones in.
  test(`queue health --new and --lane on ${adapter}: only what they name is listed; the totals and the exit code judge every task`, async ({
    storeLocation,
  }, testInfo) => {
    const p = await project(testInfo);
    const env: Record<string, string> =
      storeLocation.kind === 'postgres' ? { PACKGATE_STORE_URL: storeLocation.url } : {};
    p.write({ 'legacy.yaml': LEGACY, 'new.yaml': NEW });
    expect((await p.packgate(['queue', 'import', 'legacy.yaml'], env)).exitCode).toBe(0);

    const legacyOnly = await p.packgate(['queue', 'health', '--new'], env);
    expect(legacyOnly.exitCode, legacyOnly.output).toBe(0);
    expect(legacyOnly.stdout).toBe(
      'queue health: 4 tasks; 0 with new debt, 3 with legacy debt (legacy before 2020-01-01; checkpoint every 1h)\n' +
        'no task listed with new debt\n' +
        'left out (--new): 3 tasks with legacy debt\n' +
        'by rule: no-handoff 0 new, 2 legacy; no-fix-record 0 new, 1 legacy; regression-not-accepted 0 new, 1 legacy\n' +
        'ok: no new debt\n',
    );

    expect((await p.packgate(['queue', 'import', 'new.yaml'], env)).exitCode).toBe(0);
    const human = await p.packgate(['queue', 'health', '--new'], env);
    expect(human.exitCode, human.output).toBe(1);
    expect(human.stdout).toContain('queue health: 5 tasks; 1 with new debt, 3 with legacy debt');
    expect(human.stdout).toMatch(/\nNEW-1 +chore +done +no-handoff +NEW +done without a handoff\n/);
    expect(human.stdout).not.toMatch(/OLD-1|OLD-2|MARKED-1/);
    expect(human.stdout).toContain('left out (--new): 3 tasks with legacy debt\n');
    expect(human.stdout).toContain('NOT OK: 1 task with new debt (exit 1); legacy debt is left out, not failed\n');

    const newOnly = await p.json<{ report: Report; filter: unknown }>(['queue', 'health', '--new'], env);
    expect(newOnly.result.exitCode).toBe(1);
    expect(newOnly.body.report).toMatchObject({ ok: false, totals: { tasks: 5, withDebt: { legacy: 3, new: 1 } } });
    expect(newOnly.body.report.tasks.map(t => t.id)).toEqual(['NEW-1']);
    expect(newOnly.body.filter).toEqual({
      new: true,
      lane: null,
      leftOut: { legacy: 3, otherLanes: { legacy: 0, new: 0 } },
    });

    // MARKED-1 has no lane: left out of C-ops's list, counted as another lane's.
    const lane = await p.json<{ report: Report; filter: unknown }>(['queue', 'health', '--lane', 'C-ops'], env);
    expect(lane.result.exitCode).toBe(1);
    expect(lane.body.report.tasks.map(t => t.id)).toEqual(['OLD-1', 'OLD-2', 'NEW-1']);
    expect(lane.body.report.totals.withDebt).toEqual({ legacy: 3, new: 1 });
    expect(lane.body.filter).toEqual({
      new: false,
      lane: 'C-ops',
      leftOut: { legacy: 0, otherLanes: { legacy: 1, new: 0 } },
    });
    // Other lanes' legacy debt is not listed (before: "legacy debt is listed, not failed").
    const laneText = await p.packgate(['queue', 'health', '--lane', 'C-ops'], env);
    expect(laneText.stdout).toContain(
      'NOT OK: 1 task with new debt (exit 1); legacy debt is listed for lane C-ops, not failed\n',
    );
    const both = await p.packgate(['queue', 'health', '--lane', 'C-ops', '--new'], env);
    expect(both.exitCode).toBe(1);
    expect(both.stdout).toContain(
      'left out (--new): 2 tasks with legacy debt\nleft out (--lane C-ops): 1 task with debt in other lanes (0 new, 1 legacy)\n',
    );
    expect(both.stdout).not.toMatch(/OLD-1|OLD-2|MARKED-1/);

    // A lane of no task and not in governance.yaml is a typo, not an empty lane: exit 2, nothing printed.
    const typo = await p.packgate(['queue', 'health', '--lane', 'C-opz', '--new'], env);
    expect(typo.exitCode, typo.output).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe(
      'packgate: --lane C-opz: no lane C-opz in governance.yaml, and no task has it\n  hint: did you mean "C-ops"?\n',
    );
  });

  test(`queue mark-legacy --clear on ${adapter}: a task created before the cutoff is new debt until marked again`, async ({
    storeLocation,
  }, testInfo) => {
    const p = await project(testInfo);
    const env: Record<string, string> =
      storeLocation.kind === 'postgres' ? { PACKGATE_STORE_URL: storeLocation.url } : {};
    p.write({ 'legacy.yaml': LEGACY });
    expect((await p.packgate(['queue', 'import', 'legacy.yaml'], env)).exitCode).toBe(0);

    const cleared = await p.packgate(['queue', 'mark-legacy', 'OLD-1', '--clear'], env);
    expect(cleared.stdout).toBe('task OLD-1: its debt is new again\n');
    const health = await p.json<{ report: Report }>(['queue', 'health'], env);
    expect(health.result.exitCode, health.result.output).toBe(1);
    expect(health.body.report.tasks.find(t => t.id === 'OLD-1')).toMatchObject({ debt: 'new', legacyReason: null });
    expect(health.body.report.tasks.find(t => t.id === 'OLD-2')).toMatchObject({ debt: 'legacy' });

    // Marked again, it is legacy with its reason; the date no longer matters either way.
    await p.packgate(['queue', 'mark-legacy', 'OLD-1', '--reason', 'closed before the cutover'], env);
    const again = await p.json<{ report: Report }>(['queue', 'health'], env);
    expect(again.result.exitCode).toBe(0);
    expect(again.body.report.tasks.find(t => t.id === 'OLD-1')).toMatchObject({
      debt: 'legacy',
      legacyReason: 'closed before the cutover',
    });

    // Nothing to clear, whether cleared already (OLD-2) or never legacy (NEW-1, created after the cutoff):
    // refused as a move to where a task is, exit 2, no mark recorded. Before: "its debt is new again", exit 0.
    expect((await p.packgate(['queue', 'mark-legacy', 'OLD-2', '--clear'], env)).exitCode).toBe(0);
    p.write({ 'new.yaml': NEW });
    expect((await p.packgate(['queue', 'import', 'new.yaml'], env)).exitCode).toBe(0);
    for (const id of ['OLD-2', 'NEW-1']) {
      const notes = async () =>
        (await p.json<{ events: Array<{ kind: string }> }>(['task', 'show', id], env)).body.events.filter(
          e => e.kind === 'note',
        );
      const before = await notes();
      const noop = await p.packgate(['queue', 'mark-legacy', id, '--clear'], env);
      expect(noop.exitCode, noop.output).toBe(2);
      expect(noop.stdout).toBe('');
      expect(noop.stderr).toBe(
        `packgate: task ${id} is not marked legacy: its debt is new already; nothing recorded\n` +
          '  hint: --clear undoes a mark (--reason, or legacy_reason in queue import) or a date before ' +
          `queue.legacy_before in governance.yaml; to mark its debt legacy: packgate queue mark-legacy ${id} --reason "why"\n`,
      );
      expect(await notes()).toEqual(before);
    }
  });

  test(`queue import on ${adapter}: one bad entry is located and nothing is imported`, async ({
    storeLocation,
  }, testInfo) => {
    const p = await project(testInfo);
    const env: Record<string, string> =
      storeLocation.kind === 'postgres' ? { PACKGATE_STORE_URL: storeLocation.url } : {};
    p.write({
      'bad.yaml': LEGACY + '- id: BAD-1\n  title: a state nobody knows\n  state: finished\n  created_at: 2019-01-01\n',
      'bad.json': '[{"id": "J-1", "title": "t", "state": "done", "created_at": "2019-01-01",}]',
    });
    const bad = await p.json<{ error: { diagnostics: Array<{ file: string; line: number; path: string }> } }>(
      ['queue', 'import', 'bad.yaml'],
      env,
    );
    expect(bad.result.exitCode).toBe(2);
    expect(bad.body.error.diagnostics).toMatchObject([{ file: 'bad.yaml', line: 28, path: '[4].state' }]);
    const json = await p.packgate(['queue', 'import', 'bad.json'], env);
    expect(json.exitCode).toBe(2);
    expect(json.stderr).toMatch(/bad\.json:1:\d+ /);
    const list = await p.json<{ tasks: unknown[] }>(['task', 'list'], env);
    expect(list.body.tasks).toEqual([]);
  });
});

// Before: `--lane "$LANE"` with LANE unset listed no task ("no task listed with debt in lane ") and
// said every task's debt was in other lanes, exit 0: a CI log that read as a clean lane.
test('queue health --lane with an empty value is bad input: exit 2, the lanes to choose from, nothing listed', async ({}, testInfo) => {
  const p = await project(testInfo);
  p.write({ 'new.yaml': NEW });
  expect((await p.packgate(['queue', 'import', 'new.yaml'])).exitCode).toBe(0);
  const empty = await p.packgate(['queue', 'health', '--lane', '']);
  expect(empty.stdout).toBe('');
  expect(empty.stderr).toBe(
    'packgate: --lane is empty: name the owner lane whose tasks to list, or leave --lane out for every lane\n' +
      '  hint: lanes: C-ops, A-web, B-runtime, D-platform-control, P-platform, Q-gate\n',
  );
  expect(empty.exitCode).toBe(2);
});
