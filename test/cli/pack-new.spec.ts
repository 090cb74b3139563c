import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { REPO, TempProject } from '../helpers/temp-project.ts';

// A whole-project tsc and one api run of the stack, on a shared 2-core machine.
test.describe.configure({ timeout: 300_000 });

const flags = ['--title', 'Checkout flow', '--journey', 'A user pays for a GPU and sees the order as paid.'];

/** Every entry under packs/, hidden ones too (where a scaffold is staged), to show nothing was left behind. */
function packsListing(project: TempProject): string[] {
  return fs.readdirSync(path.join(project.dir, 'packs'), { recursive: true, encoding: 'utf8' }).sort();
}

test('pack new writes a pack that lint, types --check, tests and tsc pass, and whose run fails saying to write the journey', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'governance.yaml': fs.readFileSync(path.join(REPO, 'governance.yaml'), 'utf8'),
  });
  const made = await project.packgate([
    'pack',
    'new',
    'checkout-flow',
    ...flags,
    '--owner',
    'C-ops',
    '--layers',
    'api',
  ]);
  expect(made.exitCode, made.output).toBe(0);
  expect(made.stdout).toContain(
    'wrote packs/checkout-flow/: pack.yaml, api.spec.ts, pack.gen.ts, tests.yaml (its types and tests manifest are current)\n',
  );
  expect(made.stdout).toContain('run it: `npx playwright test packs/checkout-flow/`');
  expect(fs.readdirSync(path.join(project.dir, 'packs/checkout-flow')).sort()).toEqual([
    'api.spec.ts',
    'pack.gen.ts',
    'pack.yaml',
    'tests.yaml',
  ]);

  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(0);
  // Its one word from lint: declare refusals (a warning, which a scaffold cannot do for its author).
  expect(lint.stdout.split('\n').filter(line => line.startsWith('packs/checkout-flow/'))).toEqual([
    expect.stringMatching(/^packs\/checkout-flow\/pack\.yaml:\d+:1 refusals: warning: declares no refusal/),
  ]);
  const types = await project.packgate(['types', '--check']);
  expect(types.exitCode, types.output).toBe(0);
  const tests = await project.packgate(['tests']);
  expect(tests.exitCode, tests.output).toBe(0);
  expect(tests.stdout).toContain('packs/checkout-flow/tests.yaml: current (api.spec.ts 1)');
  const tsc = await project.spawn([
    `${project.dir}/node_modules/typescript/bin/tsc`,
    '-p',
    'tsconfig.json',
    '--pretty',
    'false',
  ]);
  expect(tsc.exitCode, tsc.output).toBe(0);

  // A scaffold is not a journey: its run fails, saying what to write and where.
  const run = await project.playwright(['--project=local-api', 'packs/checkout-flow/']);
  expect(run.exitCode, run.output).toBe(1);
  const pack = project.verdict().packs.find(p => p.id === 'checkout-flow');
  expect(pack).toMatchObject({ status: 'FAIL', owner: 'C-ops', policy: 'blocking' });
  expect(pack?.reason).toContain(
    'write this journey: A user pays for a GPU and sees the order as paid. (packs/checkout-flow/api.spec.ts)',
  );
});

test('pack new refuses bad input by its flag, with what to do, and writes nothing', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'governance.yaml': fs.readFileSync(path.join(REPO, 'governance.yaml'), 'utf8'),
  });
  const before = packsListing(project);
  const cases: Array<{ args: string[]; says: string[] }> = [
    {
      args: ['auth-session', '--owner', 'C-ops'],
      says: [
        'pack "auth-session" already exists: packs/auth-session/ is there',
        'hint: choose another id, or edit packs/auth-session/pack.yaml',
      ],
    },
    {
      args: ['CheckoutFlow', '--owner', 'C-ops'],
      says: ['pack id "CheckoutFlow" is not kebab-case', '`packgate pack new checkout-flow`'],
    },
    {
      args: ['checkout-flow', '--owner', 'C-ops', '--layers', 'api,brwoser'],
      says: ['--layers api,brwoser: "brwoser" is not a layer', 'did you mean "browser"?'],
    },
    {
      args: ['checkout-flow', '--owner', 'C-ops', '--identity', 'adaa'],
      says: ['--identity adaa: no seed set in seeds/ has a user "adaa"', 'did you mean "ada"?'],
    },
    {
      args: ['checkout-flow', '--owner', 'C-ops', '--depends-on', 'auth-sesion'],
      says: ['--depends-on auth-sesion: there is no pack "auth-sesion"', 'did you mean "auth-session"?'],
    },
    {
      args: ['checkout-flow', '--owner', 'C-ops', '--policy', 'dev=blocking,qa=advisory'],
      says: [
        '--policy (policy.qa): there is no stage "qa"',
        'hint: stages: dev, demo, staging, prod',
        'nothing was written',
      ],
    },
    {
      // Before: the last won, written as policy: { dev: advisory }, exit 0.
      args: ['checkout-flow', '--owner', 'C-ops', '--policy', 'dev=blocking,dev=advisory'],
      says: [
        '--policy dev=blocking,dev=advisory: stage "dev" is given twice (blocking, then advisory)',
        'hint: give dev once: --policy dev=blocking or dev=advisory',
        'nothing was written',
      ],
    },
    {
      args: ['checkout-flow', '--owner', 'C-opz'],
      says: ['--owner (owner): owner "C-opz" is not a lane of governance.yaml', 'did you mean "C-ops"?'],
    },
    {
      // The catalogue's own cross-check: demo's environments run the remote layer alone.
      args: ['checkout-flow', '--owner', 'C-ops', '--policy', 'demo=blocking'],
      says: [
        '--policy (policy.demo): pack "checkout-flow" runs in "demo"',
        // Said in flags: the pack.yaml is not there to edit, nor an environment to exclude it in yet.
        'hint: add remote to --layers (e.g. --layers api,browser,remote), or leave demo out of --policy',
      ],
    },
    {
      args: ['checkout-flow', '--owner', 'C-ops', '--layers', 'parity'],
      says: [
        '--policy (policy.dev): pack "checkout-flow" runs in "local"',
        'hint: add api or browser to --layers (e.g. --layers parity,api), or leave dev out of --policy',
      ],
    },
  ];
  for (const { args, says } of cases) {
    const refused = await project.packgate(['pack', 'new', ...args, ...flags]);
    expect(refused.exitCode, refused.output).toBe(2);
    for (const words of says) expect(refused.stderr, args.join(' ')).toContain(words);
    expect(refused.stderr).not.toContain('.new-');
    expect(packsListing(project), args.join(' ')).toEqual(before);
  }
  // Every problem at once, where the first bad flag ended the command and hid the rest.
  const all = await project.packgate([
    'pack',
    'new',
    'checkout-flow',
    ...flags,
    '--owner',
    'C-opz',
    '--layers',
    'api,brwoser',
    '--depends-on',
    'auth-sesion',
    '--identity',
    'adaa',
  ]);
  expect(all.exitCode, all.output).toBe(2);
  for (const words of [
    '--layers api,brwoser: "brwoser" is not a layer',
    '--depends-on auth-sesion: there is no pack "auth-sesion"',
    '--identity adaa: no seed set in seeds/ has a user "adaa"',
    '--owner (owner): owner "C-opz" is not a lane of governance.yaml',
    '(4 errors)',
  ])
    expect(all.stderr).toContain(words);
  expect(packsListing(project)).toEqual(before);

  // A tool asking for JSON reads the refusal there, as every command's --json says one.
  const json = await project.packgate(['pack', 'new', 'checkout-flow', ...flags, '--owner', 'C-opz', '--json']);
  expect(json.exitCode, json.output).toBe(2);
  expect(JSON.parse(json.stdout)).toMatchObject({
    ok: false,
    error: {
      code: 'INPUT_INVALID',
      diagnostics: [{ path: '--owner (owner)', hint: 'did you mean "C-ops"? Or add the lane to governance.yaml' }],
    },
  });
  expect(packsListing(project)).toEqual(before);
});

test('pack new takes the seed sets of its identity that its environments load, and says which environment lacks one', async ({}, testInfo) => {
  // ada is in core (every environment loads it) and in extra (none does); hedy only in extra.
  const user = (id: string, secret: string) =>
    `  - { id: ${id}, username: ${id}, name: ${id}, email: ${id}@example.test, password_secret: ${secret}, roles: [member] }\n`;
  const project = await TempProject.create(testInfo, {
    'governance.yaml': fs.readFileSync(path.join(REPO, 'governance.yaml'), 'utf8'),
    'seeds/extra.yaml':
      'schema_version: 1\nid: extra\ndescription: Users no environment loads yet.\nusers:\n' +
      user('ada', 'user-password') +
      user('hedy', 'member-password'),
  });
  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(0);

  const made = await project.packgate(['pack', 'new', 'signs-in', ...flags, '--owner', 'C-ops', '--identity', 'ada']);
  expect(made.exitCode, made.output).toBe(0);
  expect(project.read('packs/signs-in/pack.yaml')).toContain('\nseeds: [core]\n');

  // Where hedy's only set is not loaded, the refusal names each environment file and line to edit.
  const before = packsListing(project);
  const refused = await project.packgate([
    'pack',
    'new',
    'hedy-pack',
    ...flags,
    '--owner',
    'C-ops',
    '--identity',
    'hedy',
  ]);
  expect(refused.exitCode, refused.output).toBe(2);
  for (const env of ['local', 'parity'])
    expect(refused.stderr).toMatch(
      new RegExp(
        `\\n  environments/${env}\\.yaml:\\d+:\\d+ seeds: pack "hedy-pack" needs seed set "extra", ` +
          'which this environment does not list\\n    hint: add extra to seeds\\n',
      ),
    );
  expect(packsListing(project)).toEqual(before);
});
