import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { inlinePack } from '../helpers/inline-pack.ts';
import { REPO, TempProject } from '../helpers/temp-project.ts';

test('stack faults lists each fault with its pack and the verdict each environment owes', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    ...inlinePack({
      id: 'probe',
      policy: { dev: 'advisory' },
      layer: 'api',
      body: 'expect(1).toBe(1);',
    }),
  });
  project.edit(
    'stack/faults.yaml',
    text => `${text}  - id: probe-broken\n    pack: probe\n    description: The probe answers nonsense.\n`,
  );
  const result = await project.packgate(['stack', 'faults', '--json']);
  expect(result.exitCode, result.output).toBe(0);
  // ok as in every command's JSON: true exactly when it exits 0 (before: no ok at all).
  expect(JSON.parse(result.stdout)).toMatchObject({ schemaVersion: 1, ok: true });
  const { faults } = JSON.parse(result.stdout) as {
    faults: Array<{
      id: string;
      pack: string;
      expected: Array<{ environment: string; verdict?: string; injectable: boolean }>;
    }>;
  };
  // The probe pack is advisory on dev (local and parity) and runs nowhere else; auth-session blocks everywhere.
  expect(faults.find(f => f.id === 'probe-broken')!.expected).toEqual([
    { environment: 'local', verdict: 'PASS_WITH_WARNINGS', injectable: true },
    { environment: 'parity', verdict: 'PASS_WITH_WARNINGS', injectable: true },
    { environment: 'demo', injectable: false },
    { environment: 'staging', injectable: false },
    { environment: 'prod', injectable: false },
  ]);
  expect(faults.find(f => f.id === 'callback-unregistered')!.expected.map(e => e.verdict)).toEqual([
    'BLOCKED',
    'BLOCKED',
    'BLOCKED',
    'BLOCKED',
    'BLOCKED',
  ]);
  const table = await project.packgate(['stack', 'faults']);
  expect(table.stdout).toMatch(/^FAULT +CAUGHT BY +LOCAL\* +PARITY\* +DEMO +STAGING +PROD +WHAT IT BREAKS$/m);
  expect(table.stdout).toMatch(
    /^probe-broken +probe +PASS_WITH_WARNINGS +PASS_WITH_WARNINGS +- +- +- +The probe answers nonsense\.$/m,
  );
  // A parity-only fault: only the parity stack has it, and only there is a verdict owed.
  expect(table.stdout).toContain(
    "\ninject with PACKGATE_STACK_FAULTS=<id>[,<id>] npx playwright test; a fault only parity can have, with --project='parity-*'\n",
  );
  expect(faults.find(f => f.id === 'hsts-missing')!.expected).toEqual([
    { environment: 'local', injectable: false },
    { environment: 'parity', verdict: 'BLOCKED', injectable: true },
    { environment: 'demo', injectable: false },
    { environment: 'staging', injectable: false },
    { environment: 'prod', injectable: false },
  ]);
});

test("the README's fault table is the catalogue's", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.packgate(['stack', 'faults', '--markdown']);
  expect(result.exitCode, result.output).toBe(0);
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const table = /<!-- faults:begin -->\n([^]*?)<!-- faults:end -->/.exec(readme)?.[1];
  expect(table, 'README.md has the fault table between its markers').toBeTruthy();
  expect(table, 'regenerate it with npx packgate stack faults --markdown').toBe(result.stdout);
});

// Before: 'PACKGATE_STACK_FAULTS names unknown fault', of a fault given as --faults.
test('stack start --faults misspelt or not comma-separated names the flag it was given in; exit 2, no stack started', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.packgate(['stack', 'start', '--env', 'local', '--faults', 'callback-unregistred']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stderr).toBe(
    'packgate: --faults names unknown fault: callback-unregistred\n  hint: did you mean "callback-unregistered"?\n',
  );

  // Known faults with another separator than a comma: the list as it is written. Before: the 36
  // known faults listed, the two given among them.
  const spaced = await project.packgate([
    'stack',
    'start',
    '--env',
    'local',
    '--faults',
    'callback-500 session-cookie-missing',
  ]);
  expect(spaced.exitCode, spaced.output).toBe(2);
  expect(spaced.stderr).toBe(
    'packgate: --faults names unknown fault: callback-500 session-cookie-missing\n' +
      '  hint: separate faults with commas: --faults callback-500,session-cookie-missing\n',
  );
  const semicolons = await project.packgate(['stack', 'start', '--env', 'local'], {
    PACKGATE_STACK_FAULTS: 'callback-500;session-cookie-missing,wrong-redirect-uri',
  });
  expect(semicolons.exitCode, semicolons.output).toBe(2);
  expect(semicolons.stderr).toBe(
    'packgate: PACKGATE_STACK_FAULTS names unknown fault: callback-500;session-cookie-missing\n' +
      '  hint: separate faults with commas: PACKGATE_STACK_FAULTS=callback-500,session-cookie-missing,wrong-redirect-uri\n',
  );
});

// Before: the 36 known faults listed, and no word that callback-50 was one digit from a fault.
test('stack start --faults with a misspelt fault and one nothing resembles names the one meant and lists the rest', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.packgate(['stack', 'start', '--env', 'local', '--faults', 'no-such,callback-50']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stderr).toMatch(
    /^packgate: --faults names unknown faults: no-such, callback-50\n {2}hint: did you mean "callback-500" for "callback-50"\? nothing is near "no-such": known faults: callback-unregistered, callback-500, [^;]*; `npx packgate stack faults` lists them\n$/,
  );
});

// Before the wording: zod's "Too small: expected array to have >=1 items", with no word of what to list.
test('an empty kinds: of a fault says it is empty and what to list, at its line; lint exits 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const faults = project.read('stack/faults.yaml');
  project.write({ 'stack/faults.yaml': faults.replace('kinds: [parity]', 'kinds: []') });
  const line = faults.split('\n').findIndex(l => l.includes('kinds: [parity]')) + 1;
  const index = (faults.slice(0, faults.indexOf('kinds: [parity]')).match(/^ {2}- id: /gm) ?? []).length - 1;
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stdout).toContain(
    `stack/faults.yaml:${line}:12 faults[${index}].kinds: "kinds" is empty: list the kinds of stack that can have it, ` +
      'e.g. [parity], or remove the field for every kind\n',
  );
  expect(result.stdout).not.toContain('Too small');
});
