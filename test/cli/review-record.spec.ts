import { expect, test } from '@playwright/test';
import { stringify } from 'yaml';
import { addEvent, proofRun } from '../helpers/handed-off-task.ts';
import { EXAMPLE_TASK, startedBugfix, type TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

const REGRESSION = {
  pack: 'auth-session',
  spec: 'idp-contract.spec.ts',
  title: "authorize accepts the app's registered callback",
};

/** A complete bug-fix record of BUG-1 whose regression exists in auth-session at the api layer. */
function record(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    task_id: 'BUG-1',
    root_cause: 'the demo deployment registered its callback without the /auth path',
    owning_layer: 'api',
    impact: 'nobody could sign in on demo',
    proof_command: 'npx playwright test --project=local-api packs/auth-session/idp-contract.spec.ts',
    regression: REGRESSION,
    layer_rationale: "the IdP's redirect_uri check refuses the callback without a browser",
    residual_risk: 'none known',
    ...fields,
  };
}

function writeRecord(project: TaskProject, fields: Record<string, unknown> = {}, file = 'fix.yaml'): string {
  project.write({ [file]: stringify(record(fields)) });
  return file;
}

async function fixRecords(project: TaskProject, id = 'BUG-1') {
  const { body } = await project.json<{ events: Array<{ kind: string; body: Record<string, unknown> }> }>([
    'task',
    'show',
    id,
  ]);
  return body.events.filter(e => e.kind === 'fix-record').map(e => e.body);
}

test('a record whose regression exists at the fix commit is recorded, and a corrected one after it', async ({}, testInfo) => {
  const { project, base, fix } = await startedBugfix(testInfo);
  const result = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', writeRecord(project)]);
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe(
    `bug-fix record of BUG-1 recorded (event #${(await eventIds(project)).at(-1)}): fix ${fix.slice(0, 12)}, ` +
      `base ${base.slice(0, 12)}, owning layer api\n` +
      `  regression auth-session › idp-contract.spec.ts › "authorize accepts the app's registered callback": exists at the fix commit\n` +
      'next: packgate review prove --task BUG-1\n',
  );
  expect(result.exitCode).toBe(0);
  expect(await fixRecords(project)).toEqual([
    { record: record(), fixCommit: fix, baseCommit: base, coverageTask: null },
  ]);

  // Proven (as `review prove` records it), then corrected in words only: the proof stands, said so.
  const proof = await addEvent(
    project,
    'regression-proof',
    {
      regression: REGRESSION,
      layer: 'api',
      mode: 'repository',
      fixRecordEvent: (await eventIds(project)).at(-1),
      before: proofRun(base, false),
      after: proofRun(fix, true),
    },
    'tester',
    'BUG-1',
  );
  const corrected = record({ residual_risk: 'a callback registered per environment can drift again' });
  project.write({ 'fix.yaml': stringify(corrected) });
  const again = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(again.stdout).toContain(
    `  regression proof #${proof} still shows what this record names (red at its base, green at its fix): it stands for it\n` +
      'next: nothing to prove again; hand the task off when its work is done: packgate handoff --task BUG-1\n',
  );
  expect(again.exitCode).toBe(0);
  const recorded = await fixRecords(project);
  expect(recorded).toHaveLength(2);
  expect(recorded.at(-1)).toEqual({ record: corrected, fixCommit: fix, baseCommit: base, coverageTask: null });
});

/**
 * Before: the same record given twice made a second event, newer than the one a regression proof
 * proves, so the proof had to be made again; now it is the one recorded, said so, exit 0, as `task
 * prove` says of a proof given twice. A fix commit that is the task's base stays recordable (a fix
 * made in a deployment is proven by gate runs), but is said, and `review prove` in the repository
 * refuses it before starting two stacks that would run one commit twice.
 */
test('the same record again is the one recorded; a fix commit that is the base is said, and not proven in the repository', async ({}, testInfo) => {
  const { project, base, fix } = await startedBugfix(testInfo);
  const first = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', writeRecord(project)]);
  expect(first.exitCode, first.output).toBe(0);
  const [event] = await eventIds(project);
  const again = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(again.stdout).toBe(
    `bug-fix record of BUG-1 recorded already (event #${event}): fix ${fix.slice(0, 12)}, base ${base.slice(0, 12)}, ` +
      'owning layer api; the same record, not recorded again\n' +
      `  regression auth-session › idp-contract.spec.ts › "authorize accepts the app's registered callback": exists at the fix commit\n` +
      'next: packgate review prove --task BUG-1\n',
  );
  expect(again.exitCode).toBe(0);
  const json = await project.json(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(json.body).toMatchObject({ ok: true, event, recorded: false });
  expect(await eventIds(project)).toEqual([event]);

  const atBase = await project.packgate([
    'review',
    'record',
    '--task',
    'BUG-1',
    '--file',
    'fix.yaml',
    '--commit',
    base,
  ]);
  expect(atBase.exitCode, atBase.output).toBe(0);
  expect(atBase.stdout).toContain(
    "\n  the fix commit is the task's base: nothing is committed on top of it, so a proof in the repository would run " +
      'one commit twice; commit the fix and record again, or, for a fix made in a deployment, prove it with gate runs: ' +
      'packgate review prove --task BUG-1 --before-run <n> --after-run <m>\n',
  );
  const before = project.storeSnapshot();
  const proof = await project.packgate(['review', 'prove', '--task', 'BUG-1']);
  expect(proof.stderr).toBe(
    `packgate: the fix commit of BUG-1's bug-fix record, ${base.slice(0, 12)}, is its base commit: ` +
      'a proof in the repository would run the same commit before and after the fix\n' +
      "  hint: commit the fix on the task's branch and record it again (packgate review record), or, for a fix made in a " +
      'deployment, prove it with two gate runs recorded on the task: packgate review prove --task BUG-1 --before-run <n> --after-run <m>\n',
  );
  expect(proof.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

async function eventIds(project: TaskProject): Promise<number[]> {
  const { body } = await project.json<{ events: Array<{ id: number; kind: string }> }>(['task', 'show', 'BUG-1']);
  return body.events.filter(e => e.kind === 'fix-record').map(e => e.id);
}

test('--json: the task, the event, both commits, the layer, the regression, the coverage task, what is not committed', async ({}, testInfo) => {
  const { project, base, fix } = await startedBugfix(testInfo);
  const { result, body } = await project.json(['review', 'record', '--task', 'BUG-1', '--file', writeRecord(project)]);
  expect(result.exitCode).toBe(0);
  expect(body).toEqual({
    schemaVersion: 1,
    ok: true,
    task: { id: 'BUG-1', state: 'in_progress', kind: 'bugfix' },
    event: (await eventIds(project))[0],
    fixCommit: fix,
    baseCommit: base,
    owningLayer: 'api',
    regression: REGRESSION,
    coverageTask: null,
    recorded: true,
    uncommitted: [],
    standingProof: null,
  });
});

test('a regression location that does not exist is refused, naming it and the nearest titles; nothing recorded', async ({}, testInfo) => {
  const { project, fix } = await startedBugfix(testInfo);
  const before = project.storeSnapshot();
  const short = fix.slice(0, 12);

  const title = 'authorize accepts the registered callback';
  writeRecord(project, { regression: { ...REGRESSION, title } });
  const byTitle = await project.json(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(byTitle.result.exitCode).toBe(2);
  expect(byTitle.body).toEqual({
    schemaVersion: 1,
    ok: false,
    error: {
      code: 'FIX_RECORD_INVALID',
      message:
        `the regression of fix.yaml does not exist at the fix commit ${short}: ` +
        `auth-session › idp-contract.spec.ts › "${title}":\n` +
        `fix.yaml:9:10 regression.title: auth-session › idp-contract.spec.ts has no test "${title}" at commit ${short}`,
      hint: 'name a test the fix commit has at the owning layer (commit it first), or give --commit; nothing was recorded',
      diagnostics: [
        {
          severity: 'error',
          rule: 'unknown-test',
          file: 'fix.yaml',
          line: 9,
          col: 10,
          path: 'regression.title',
          message: `auth-session › idp-contract.spec.ts has no test "${title}" at commit ${short}`,
          hint:
            `nearest titles: "authorize accepts the app's registered callback"; ` +
            '"authorize refuses every unregistered variant of the callback and never redirects to one"; ' +
            '"discovery names exactly the configured issuer and offers PKCE with S256"',
        },
      ],
    },
  });

  writeRecord(project, { regression: { ...REGRESSION, pack: 'auth-sesion' } });
  const byPack = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(byPack.exitCode).toBe(2);
  expect(byPack.stderr).toContain(
    `fix.yaml:7:9 regression.pack: pack "auth-sesion" does not exist at commit ${short}\n` +
      '  hint: did you mean "auth-session"?\n',
  );
  expect(project.storeSnapshot()).toEqual(before);
});

test('a spec the pack does not run at the owning layer is refused, saying where it runs', async ({}, testInfo) => {
  const { project, fix } = await startedBugfix(testInfo);
  const before = project.storeSnapshot();
  writeRecord(project, {
    regression: {
      pack: 'auth-session',
      spec: 'browser.spec.ts',
      title: 'a user signs in through the IdP and lands in the shell with their identity',
    },
  });
  const result = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain(
    `fix.yaml:8:9 regression.spec: pack "auth-session" does not run browser.spec.ts at the api layer at commit ${fix.slice(0, 12)}\n` +
      '  hint: browser.spec.ts runs at: browser, remote; at api the pack runs: idp-contract.spec.ts, api.spec.ts\n',
  );
  expect(project.storeSnapshot()).toEqual(before);
});

test('the location is read at the fix commit: a title only in the work tree is refused until it is committed', async ({}, testInfo) => {
  const { project, worktree } = await startedBugfix(testInfo);
  const title = 'authorize refuses the callback without its path';
  const manifest = 'packs/auth-session/tests.yaml';
  project.write(
    {
      [manifest]: project.read(manifest).replace('idp-contract.spec.ts:\n', `idp-contract.spec.ts:\n  - ${title}\n`),
    },
    worktree,
  );
  writeRecord(project, { regression: { ...REGRESSION, title } }, `${'.packgate/worktrees/BUG-1'}/fix.yaml`);
  const args = ['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml'];
  const uncommitted = await project.packgate(args, {}, worktree);
  expect(uncommitted.exitCode).toBe(2);
  expect(uncommitted.stderr).toContain(`has no test "${title}" at commit`);

  project.git(['add', manifest], worktree);
  project.git(['commit', '-q', '-m', 'the regression'], worktree);
  const committed = await project.packgate(args, {}, worktree);
  expect(committed.stderr).toBe('');
  expect(committed.exitCode).toBe(0);
  const [recorded] = await fixRecords(project);
  expect(recorded.fixCommit).toBe(project.git(['rev-parse', 'HEAD'], worktree).trim());
});

test('a record that is not one is refused with every problem located, exit 2, the store unchanged', async ({}, testInfo) => {
  const { project } = await startedBugfix(testInfo);
  const before = project.storeSnapshot();
  const events = await fixRecords(project);
  const cases: Array<[string, string]> = [
    [
      'task_id: BUG-1\nroot_cause: [never closed\n',
      'fix.yaml:3:1 Flow sequence in block collection must be sufficiently indented and end with a ]\n' +
        '  hint: fix the YAML syntax at this position\n',
    ],
    ['- task_id: BUG-1\n', 'fix.yaml:1:1 a bug-fix record is a map of fields\n'],
    [
      stringify({ ...record(), root_cause: undefined, owning_layer: 'e2e', impact: '  ', rationale: 'x' }),
      [
        'packgate: bug-fix record fix.yaml does not pass (4 errors in 1 file):',
        'fix.yaml:1:1 root_cause: missing required field "root_cause"',
        '  hint: add "root_cause:" here; schemas/fix-record.schema.json describes it',
        'fix.yaml:2:15 owning_layer: expected one of "unit", "api", "browser", "parity", "remote", "manual", got "e2e"',
        '  hint: see schemas/fix-record.schema.json for what this field takes',
        'fix.yaml:3:9 impact: is empty',
        '  hint: see schemas/fix-record.schema.json for what this field takes',
        'fix.yaml:11:1 rationale: unknown field "rationale"',
      ].join('\n'),
    ],
    // A field left blank reads as null: said to be empty, at its key, not "expected string, got null".
    [
      stringify(record())
        .replace(/^root_cause: .*$/m, 'root_cause:')
        .replace(/^owning_layer: .*$/m, 'owning_layer:'),
      [
        'packgate: bug-fix record fix.yaml does not pass (2 errors in 1 file):',
        'fix.yaml:2:1 root_cause: "root_cause" is empty: fill it in',
        '  hint: write its value after "root_cause:"; schemas/fix-record.schema.json describes it',
        'fix.yaml:3:1 owning_layer: "owning_layer" is empty: fill it in',
        '  hint: write its value after "owning_layer:": one of "unit", "api", "browser", "parity", "remote", "manual"',
        '  hint: fix each problem above; nothing was recorded\n',
      ].join('\n'),
    ],
    // An empty residual risk is one problem, said once, with what to write.
    [
      stringify(record({ residual_risk: ' ' })),
      'packgate: bug-fix record fix.yaml does not pass (1 error in 1 file):\n' +
        'fix.yaml:11:16 residual_risk: is empty: say what is still at risk after the fix ("none known" is an answer)\n' +
        '  hint: see schemas/fix-record.schema.json for what this field takes\n' +
        '  hint: fix each problem above; nothing was recorded\n',
    ],
    [
      stringify({ ...record(), regression: undefined, residual_risk: undefined }),
      'regression: is missing: name the test that covers the bug, or say why there is none in "skipped_coverage"',
    ],
    [stringify(record({ fix_commit: 'abcdef1' })), 'fix_commit: fix_commit abcdef1 is not a commit of this repository'],
    // Stored and shown to reviewers: a credential in any field is refused, located.
    [
      stringify(
        record({
          proof_command: 'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnop" x',
          residual_risk: `a leaked ghp_${'a1B2c3'.repeat(6)} still works`,
        }),
      ),
      'fix.yaml:5:16 proof_command: looks like it holds a secret (a token, password, cookie or OAuth code)\n' +
        '  hint: name the env var or the file that holds it instead; the record is stored and shown to reviewers\n' +
        'fix.yaml:12:16 residual_risk: looks like it holds a secret',
    ],
  ];
  for (const [text, expected] of cases) {
    project.write({ 'fix.yaml': text });
    const result = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
    expect(result.stderr, text).toContain(expected);
    expect(result.exitCode, text).toBe(2);
  }
  const missing = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'nope.yaml']);
  expect(missing.stderr).toBe(
    'packgate: the bug-fix record nope.yaml: no such file\n' +
      '  hint: give the path of the YAML file with the fix record (--file fix.yaml)\n',
  );
  expect(missing.exitCode).toBe(2);
  expect(await fixRecords(project)).toEqual(events);
  expect(project.storeSnapshot()).toEqual(before);
});

test('only a bugfix task, only its own record, only a task the store has', async ({}, testInfo) => {
  const { project } = await startedBugfix(testInfo);
  await project.examplePacket();
  const before = project.storeSnapshot();
  writeRecord(project);
  const cases: Array<[string[], string]> = [
    [
      ['--task', EXAMPLE_TASK],
      `packgate: task ${EXAMPLE_TASK} is a feature task: only a bugfix task has a bug-fix record\n` +
        '  hint: a bug fix is its own task: packgate packet new --kind bugfix ...\n',
    ],
    [
      ['--task', 'BUG-9'],
      'packgate: task BUG-9 is not in the queue store\n' +
        '  hint: record a bug fix on its bugfix task; list them with: packgate task list\n',
    ],
  ];
  for (const [args, stderr] of cases) {
    const result = await project.packgate(['review', 'record', ...args, '--file', 'fix.yaml']);
    expect(result.stderr, args.join(' ')).toBe(stderr);
    expect(result.exitCode, args.join(' ')).toBe(2);
  }
  writeRecord(project, { task_id: 'BUG-2' });
  const other = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(other.stderr).toContain(
    'fix.yaml:1:10 task_id: the record is for task BUG-2, but it is being recorded on task BUG-1\n',
  );
  expect(other.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('a tests.yaml at the fix commit that does not parse is named with its error, not taken for one without the test', async ({}, testInfo) => {
  const { project, worktree } = await startedBugfix(testInfo);
  const manifest = 'packs/auth-session/tests.yaml';
  project.write({ [manifest]: `${project.read(manifest)}api.spec.ts: [unclosed\n` }, worktree);
  project.commitAll('a broken manifest', worktree);
  writeRecord(project, {}, '.packgate/worktrees/BUG-1/fix.yaml');
  const result = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml'], {}, worktree);
  expect(result.stderr).toMatch(
    /regression\.title: packs\/auth-session\/tests\.yaml at commit [0-9a-f]{12} is not a valid test manifest: .* at line \d+, column \d+/,
  );
  expect(result.stderr).not.toContain('lists no tests');
  expect(result.exitCode).toBe(2);
});

/**
 * Before: any commit of the repository was taken for the fix: `--commit main` after main moved on, or
 * a fix_commit of another branch, was recorded (exit 0), so `review prove` ran minutes of stacks on
 * a commit that is not the task's work, and the review then refused it as not the branch's head.
 * Now a fix commit must be on the task's branch, from its base to its head; and a fix_commit in the
 * record and a different --commit are refused, where --commit was silently ignored.
 */
test("a fix commit not on the task's branch, or given twice as two commits, is refused; nothing recorded", async ({}, testInfo) => {
  const { project, base, fix } = await startedBugfix(testInfo);
  project.write({ 'other.txt': 'main moves on\n' });
  project.commitAll('main moves on');
  const main = project.git(['rev-parse', 'HEAD']).trim();
  const before = project.storeSnapshot();

  writeRecord(project);
  const byOption = await project.packgate([
    'review',
    'record',
    '--task',
    'BUG-1',
    '--file',
    'fix.yaml',
    '--commit',
    'main',
  ]);
  expect(byOption.stderr).toBe(
    `packgate: the fix commit ${main.slice(0, 12)} (--commit main) is not on task BUG-1's branch task/BUG-1: ` +
      `its commits run from its base ${base.slice(0, 12)} to its head ${fix.slice(0, 12)}\n` +
      '  hint: name a commit of the branch (git log task/BUG-1), or leave --commit out for its head; nothing was recorded\n',
  );
  expect(byOption.exitCode).toBe(2);

  writeRecord(project, { fix_commit: main });
  const byRecord = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(byRecord.stderr).toContain(
    `fix.yaml:12:13 fix_commit: the fix commit ${main.slice(0, 12)} is not on task BUG-1's branch task/BUG-1: ` +
      `its commits run from its base ${base.slice(0, 12)} to its head ${fix.slice(0, 12)}\n`,
  );
  expect(byRecord.exitCode).toBe(2);

  writeRecord(project, { fix_commit: fix });
  const twice = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml', '--commit', base]);
  expect(twice.stderr).toContain(
    `fix.yaml:12:13 fix_commit: fix_commit ${fix} is not the --commit given (${base.slice(0, 12)})\n` +
      '  hint: name the fix commit once: in the record, or with --commit\n',
  );
  expect(twice.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);

  // The same commit both ways is no conflict.
  const same = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml', '--commit', fix]);
  expect(same.exitCode, same.output).toBe(0);
});

/**
 * Before: a record made while the task's worktree held changes not committed (the code fix itself,
 * often) said nothing of them: it recorded the branch's head without them, and `review prove` then
 * found the regression still red "after the fix", with no word of why. Now the record names them.
 */
test("changes not committed in the task's worktree are named: the record is of the commit without them", async ({}, testInfo) => {
  const { project, worktree, fix } = await startedBugfix(testInfo);
  project.write(
    { 'packs/auth-session/notes.md': 'the callback fix, edited\n', 'stack/idp/fix.ts': '// new\n' },
    worktree,
  );
  const result = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', writeRecord(project)]);
  expect(result.exitCode, result.output).toBe(0);
  expect(result.stdout).toContain(
    "\n  the task's worktree has changes not committed (packs/auth-session/notes.md, stack/idp/fix.ts): " +
      `the record and its proof are of commit ${fix.slice(0, 12)}, without them; commit them and record again\n`,
  );
  const json = await project.json(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(json.body).toMatchObject({ fixCommit: fix, uncommitted: ['packs/auth-session/notes.md', 'stack/idp/fix.ts'] });

  project.commitAll('the rest of the fix', worktree);
  const committed = await project.packgate(['review', 'record', '--task', 'BUG-1', '--file', 'fix.yaml']);
  expect(committed.stdout).not.toContain('not committed');
});
