import { expect, test } from '@playwright/test';
import { TABLE_END, TABLE_START } from '../../src/catalogue/refusal-table.ts';
import { refusingPack } from '../helpers/refusing-pack.ts';
import { TempProject } from '../helpers/temp-project.ts';

test("lint lists each pack's refusals, and fails on one no test claims and on a claim of an undeclared one", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, refusingPack());
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  const clean = await project.packgate(['lint']);
  expect(clean.exitCode, clean.output).toBe(0);
  expect(clean.stdout).toContain(
    '  refusing: 5 (no-session-me, made-to-fail, skipped-here, no-account-here, remote-only)\n',
  );
  expect(clean.stdout).not.toContain('refusing/pack.yaml');

  // The remote spec's claim removed: the refusal is declared and nothing proves it.
  project.edit('packs/refusing/remote.spec.ts', text => text.replace("refuses('remote-only')", '{}'));
  // A claim of an id the pack does not declare, on line 4 of a spec.
  project.edit('packs/refusing/api.spec.ts', text =>
    text.replace("refuses('no-session-me')", "refuses('no-session-me', 'never-declared')"),
  );
  const broken = await project.packgate(['lint']);
  expect(broken.exitCode, broken.output).toBe(2);
  expect(broken.stdout).toContain(
    'packs/refusing/pack.yaml:32:9 refusals[4].id: refusal "remote-only" is claimed by no test of the specs the pack runs\n',
  );
  expect(broken.stdout).toContain(
    'packs/refusing/api.spec.ts:5:73 the test claims refusal "never-declared", which packs/refusing/pack.yaml does not declare\n',
  );
  expect(broken.stdout).toContain('hint: declare it under refusals: in packs/refusing/pack.yaml, or claim one of: ');
  const json = JSON.parse((await project.packgate(['lint', '--json'])).stdout) as {
    refusals: Record<string, Array<{ id: string; claims: unknown[] }>>;
  };
  expect(json.refusals.refusing.map(r => [r.id, r.claims.length])).toEqual([
    ['no-session-me', 1],
    ['made-to-fail', 1],
    ['skipped-here', 1],
    ['no-account-here', 1],
    ['remote-only', 0],
  ]);
});

test('a claim in a comment (its test commented out) proves nothing: lint says the refusal is claimed by no test', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, refusingPack());
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  // Before: both still counted as claimed, lint passed, the README table named the comment as the
  // proof, and the gate said the test "was not selected by this run" of a full run.
  project.edit('packs/refusing/remote.spec.ts', text =>
    text.replace("test('a refusal proven", "// test('a refusal proven"),
  );
  project.edit('packs/refusing/api.spec.ts', text =>
    text
      .replace("test('a refusal whose test fails'", "/* test('a refusal whose test fails'")
      .replace(
        "toBe(401);\n});\n\ntest('a refusal whose test skips'",
        "toBe(401);\n}); */\n\ntest('a refusal whose test skips'",
      ),
  );
  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(2);
  expect(lint.stdout).toMatch(
    /pack\.yaml:\d+:\d+ refusals\[1\]\.id: refusal "made-to-fail" is claimed by no test of the specs the pack runs\n/,
  );
  expect(lint.stdout).toMatch(
    /pack\.yaml:\d+:\d+ refusals\[4\]\.id: refusal "remote-only" is claimed by no test of the specs the pack runs\n/,
  );
  expect(lint.stdout).not.toMatch(/refusals\[[023]\]\.id/);
});

test('a claim a typo away from a declared refusal: lint says which id it meant', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, refusingPack());
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  project.edit('packs/refusing/api.spec.ts', text =>
    text.replace("refuses('made-to-fail')", "refuses('made-to-fial')"),
  );
  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(2);
  // Before: the hint listed the five declared ids, the one meant among them, without saying which.
  expect(lint.stdout).toMatch(
    /packs\/refusing\/api\.spec\.ts:\d+:\d+ the test claims refusal "made-to-fial", which packs\/refusing\/pack\.yaml does not declare\n {2}hint: did you mean "made-to-fail"\? Else declare it under refusals: in packs\/refusing\/pack\.yaml, or claim one of: /,
  );
});

test("a refusal's caller and action are checked against the pack, located; fewer than three without a note are a warning", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, refusingPack());
  project.edit('packs/refusing/pack.yaml', text =>
    text
      .replace('as: expired-session', 'as: mallory')
      .replace('action: GET me\n    status: 403', 'action: POST nowhere\n    status: 403'),
  );
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stdout).toMatch(
    /packs\/refusing\/pack\.yaml:\d+:\d+ refusals\[2\]\.as: "mallory" is not a caller of this pack; name one of no-session, expired-session, foreign-origin/,
  );
  expect(result.stdout).toMatch(
    /packs\/refusing\/pack\.yaml:\d+:\d+ refusals\[4\]\.action: "nowhere" is not one of the pack's paths \(me\)/,
  );

  // The hints say what the schema file cannot: the pack's own callers and paths. Before: 'see
  // schemas/pack.schema.json for what this field takes', for a name that file does not know.
  expect(result.stdout).toContain(
    `  hint: to ask as seed user "mallory", the pack signs in as it: identity: mallory\n`,
  );
  expect(result.stdout).toContain(
    '  hint: add it under paths: (nowhere: /its/path, or { base: api, path: /v1/... }), then run `npx packgate types`\n',
  );
  project.edit('packs/refusing/pack.yaml', text =>
    text.replace('as: mallory', 'as: no-sesion').replace('action: POST nowhere', 'action: POST mee'),
  );
  const typos = await project.packgate(['lint']);
  expect(typos.exitCode, typos.output).toBe(2);
  expect(typos.stdout).toMatch(
    /refusals\[2\]\.as: "no-sesion" is not a caller of this pack.*\n {2}hint: did you mean "no-session"\?\n/,
  );
  expect(typos.stdout).toMatch(
    /refusals\[4\]\.action: "mee" is not one of the pack's paths.*\n {2}hint: did you mean "me"\?\n/,
  );

  project.write(refusingPack());
  project.edit('packs/refusing/pack.yaml', text => text.slice(0, text.indexOf('  - id: made-to-fail')));
  project.edit('packs/refusing/api.spec.ts', text =>
    text.replace(/refuses\('(made-to-fail|skipped-here|no-account-here)'\)/g, '{}'),
  );
  project.edit('packs/refusing/remote.spec.ts', text => text.replace("refuses('remote-only')", '{}'));
  // Its specs import their typed test from pack.gen.ts, which lint wants written.
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  // A warning like any other, at the pack's refusals: counted and in --json (before, a remark in the
  // listing alone: "catalogue ok"'s absence the only sign, and --json said nothing); lint exits 0.
  const few = await project.packgate(['lint']);
  expect(few.exitCode, few.output).toBe(0);
  expect(few.stdout).toMatch(
    /^packs\/refusing\/pack\.yaml:\d+:1 refusals: warning: declares 1 refusal, fewer than 3, and no refusals_note says why\n {2}hint: declare what else the pack's surface must refuse .*, or say in refusals_note: why it has fewer\n\n1 warning in 1 file\n/,
  );
  expect(few.stdout).toContain('  refusing: 1 (no-session-me)\n');
  const fewJson = await project.packgate(['lint', '--json']);
  expect(fewJson.exitCode).toBe(0);
  expect(JSON.parse(fewJson.stdout)).toMatchObject({
    ok: true,
    diagnostics: [{ severity: 'warning', rule: 'few-refusals', file: 'packs/refusing/pack.yaml', path: 'refusals' }],
  });
  project.edit('packs/refusing/pack.yaml', text => `${text}refusals_note: its surface is one read-only endpoint\n`);
  const noted = await project.packgate(['lint']);
  expect(noted.stdout).toMatch(/^refusals:\n/);
  expect(noted.stdout).toContain('  refusing: 1 (no-session-me)\n');

  // The pack grows to five refusals and keeps its note: said, where before the README's table went on
  // printing "(fewer: 5)" beside them and lint said nothing.
  project.write(refusingPack());
  project.edit('packs/refusing/pack.yaml', text => `${text}refusals_note: its surface is one read-only endpoint\n`);
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  const stale = await project.packgate(['lint']);
  expect(stale.exitCode, stale.output).toBe(0);
  expect(stale.stdout).toMatch(
    /^packs\/refusing\/pack\.yaml:\d+:1 refusals_note: warning: says why the pack has fewer than 3 refusals, but it declares 5\n {2}hint: remove refusals_note:, then run `npx packgate refusals --update`\n/,
  );
});

test("the README's table is generated from the packs: --check fails while it is stale, --update rewrites it", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    ...refusingPack(),
    'README.md': `# A project\n\n## Refusals\n\n${TABLE_START}\n${TABLE_END}\n\n## Next\n`,
  });
  const stale = await project.packgate(['refusals', '--check']);
  expect(stale.exitCode, stale.output).toBe(1);
  expect(stale.stderr).toContain('the refusals table in README.md is out of date with the packs');
  expect((await project.packgate(['refusals', '--update'])).exitCode).toBe(0);
  expect(project.read('README.md')).toContain(
    "| refusing | `no-session-me` | no-session | `GET me` | 401 | no user's data in the body | `api.spec.ts:5` (api) |",
  );
  expect(project.read('README.md')).toContain(
    '| refusing | `remote-only` | foreign-origin | `GET me` | 403 | nothing | `remote.spec.ts:4` (remote) |',
  );
  expect((await project.packgate(['refusals', '--check'])).exitCode).toBe(0);

  // A stale table names its rows that differ: a line added above a claiming test moves its proof.
  // Before: "out of date" alone, and --update the only way to see what.
  project.edit('packs/refusing/api.spec.ts', text => `// a comment\n${text}`);
  const moved = await project.packgate(['refusals', '--check']);
  expect(moved.exitCode, moved.output).toBe(1);
  expect(moved.stderr).toBe(
    'packgate: the refusals table in README.md is out of date with the packs:\n' +
      "  - | refusing | `no-session-me` | no-session | `GET me` | 401 | no user's data in the body | `api.spec.ts:5` (api) |\n" +
      '  - | refusing | `made-to-fail` | no-session | `GET me` | 401 or 403 | nothing | `api.spec.ts:11` (api) |\n' +
      '  - | refusing | `skipped-here` | expired-session | `GET me` | 401 | nothing | `api.spec.ts:15` (api) |\n' +
      '  - | refusing | `no-account-here` | expired-session | `GET me` | 401 | nothing | `api.spec.ts:19` (api) |\n' +
      "  + | refusing | `no-session-me` | no-session | `GET me` | 401 | no user's data in the body | `api.spec.ts:6` (api) |\n" +
      '  + | refusing | `made-to-fail` | no-session | `GET me` | 401 or 403 | nothing | `api.spec.ts:12` (api) |\n' +
      '  ... and 2 more\n' +
      '  hint: run `npx packgate refusals --update` and commit the result\n',
  );
  expect((await project.packgate(['refusals', '--update'])).exitCode).toBe(0);

  // A checkout with CRLF line ends (git's autocrlf) holds the same table: current, and --update keeps
  // its line ends. Before: --check failed there whatever --update wrote.
  project.write({ 'README.md': project.read('README.md').replace(/\n/g, '\r\n') });
  const crlf = await project.packgate(['refusals', '--check']);
  expect(crlf.exitCode, crlf.output).toBe(0);
  project.edit('packs/refusing/api.spec.ts', text => text.replace('// a comment\n', ''));
  expect((await project.packgate(['refusals', '--update'])).exitCode).toBe(0);
  expect(project.read('README.md')).toContain('`api.spec.ts:5` (api) |\r\n');
  expect(project.read('README.md')).not.toMatch(/[^\r]\n/);

  // With --json, the same. Before: --check --json exited 0 on a stale table, --update --json wrote nothing.
  project.write({ 'README.md': `# A project\n\n${TABLE_START}\n${TABLE_END}\n` });
  const staleJson = await project.packgate(['refusals', '--check', '--json']);
  expect(staleJson.exitCode, staleJson.output).toBe(1);
  expect(JSON.parse(staleJson.stdout)).toMatchObject({ schemaVersion: 1, ok: false, table: 'stale' });
  const updatedJson = await project.packgate(['refusals', '--update', '--json']);
  expect(updatedJson.exitCode, updatedJson.output).toBe(0);
  expect(JSON.parse(updatedJson.stdout)).toMatchObject({ ok: true, table: 'updated' });
  expect(project.read('README.md')).toContain('| refusing | `no-session-me` | no-session | `GET me` | 401 |');
  const currentJson = await project.packgate(['refusals', '--check', '--json']);
  expect(currentJson.exitCode, currentJson.output).toBe(0);
  expect(JSON.parse(currentJson.stdout)).toMatchObject({ ok: true, table: 'current' });
  expect(Object.keys(JSON.parse(currentJson.stdout).packs)).toContain('refusing');

  project.edit('README.md', text => text.replace('<!-- end of refusals -->', ''));
  const unmarked = await project.packgate(['refusals', '--update']);
  expect(unmarked.exitCode).toBe(2);
  expect(unmarked.stderr).toContain('README.md has no generated refusals table');
});

test('a refusal just declared: packgate types writes its id for the spec that will claim it, and says it is claimed by no test yet', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, refusingPack());
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  project.edit(
    'packs/refusing/pack.yaml',
    text =>
      `${text}  - id: declared-now\n    as: no-session\n    action: GET me\n    status: 401\n    unchanged: nothing\n`,
  );
  const types = await project.packgate(['types']);
  expect(types.exitCode, types.output).toBe(0);
  expect(types.stdout).toBe('wrote packs/refusing/pack.gen.ts\n');
  expect(project.read('packs/refusing/pack.gen.ts')).toContain("'declared-now'");
  expect(types.stderr).toContain(
    'packgate: still to do in the specs and the layers naming them (`npx packgate lint` fails until then):\n' +
      'packs/refusing/pack.yaml:37:9 refusals[5].id: refusal "declared-now" is claimed by no test of the specs the pack runs\n',
  );
  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(2);
  // Any other problem still stops it, as before (exit 2, nothing written).
  project.edit('packs/refusing/pack.yaml', text => text.replace('owner: test-lane', 'owner: 42'));
  const broken = await project.packgate(['types']);
  expect(broken.exitCode, broken.output).toBe(2);
  expect(broken.output).toContain('packs/refusing/pack.yaml:4:8 owner: expected string, got number 42');
});
