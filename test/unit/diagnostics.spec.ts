import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { firstLine } from '../../src/diagnostics/first-line.ts';
import { nearest, suggest } from '../../src/diagnostics/nearest.ts';
import { YamlSource } from '../../src/diagnostics/yaml-source.ts';
import { lenientParse, validateSource } from '../../src/diagnostics/zod-diagnostics.ts';
import { identityCheckSchema, loginDriverSchema } from '../../src/schema/environment.ts';
import { renamed } from '../../src/schema/renamed.ts';

test('one "did you mean": the nearest known name when it is near enough to be a typo, whatever its case', () => {
  expect(nearest('ownr', ['owner', 'policy'])).toBe('owner');
  expect(nearest('OWNER', ['owner', 'policy'])).toBe('owner');
  expect(nearest('deadline', ['owner', 'policy'])).toBeUndefined();
  // Names whose length alone puts them out of reach are passed over; the nearest is still found.
  expect(nearest('auth-sesion', ['a', 'auth-sessions-of-all', 'auth-sessions', 'auth-session'])).toBe('auth-session');
  expect(nearest('x'.repeat(16_000), ['T-1', 'T-2'])).toBeUndefined();
  expect(suggest('auth-sesion', ['auth-session', 'terminal'], 'packs')).toBe('did you mean "auth-session"?');
  expect(suggest('x', ['a-pack'], 'packs')).toBe('known packs: a-pack');
  expect(suggest('x', [], 'lanes')).toBe('there are no lanes yet');
});

test('an unknown field in a YAML file is named where it is, with the field it was meant to be', () => {
  const source = new YamlSource('packs/a/pack.yaml', 'id: a\nOWNER: me\n');
  const { diagnostics } = validateSource(
    source,
    z.strictObject({ id: z.string(), owner: z.string().optional() }),
    'schemas/pack.schema.json',
  );
  expect(diagnostics).toEqual([
    expect.objectContaining({
      rule: 'unknown-field',
      file: 'packs/a/pack.yaml',
      line: 2,
      col: 1,
      path: 'OWNER',
      hint: 'did you mean "owner"?',
    }),
  ]);
});

test('a key given twice is named, with the line of the first: not only "Map keys must be unique"', () => {
  const source = new YamlSource(
    'packs/a/pack.yaml',
    'id: a\nowner: C-ops\nlayers:\n  browser: [browser.spec.ts]\n  api: [api.spec.ts]\n  browser: []\nowner: C-dev\n',
  );
  expect(source.syntaxDiagnostics().map(d => `${d.line}:${d.col} ${d.message} (${d.hint})`)).toEqual([
    "6:3 browser is given twice in this mapping (first at line 4) (keep one of the two: which browser was meant is for the file's author to say)",
    "7:1 owner is given twice in this mapping (first at line 2) (keep one of the two: which owner was meant is for the file's author to say)",
  ]);
});

test('a merge key takes the fields of its anchor, as CI files write shared settings once: not an unknown field "<<"', () => {
  const source = new YamlSource(
    'seeds/users.yaml',
    'defaults: &user\n  tenant: acme\n  role: member\nusers:\n  - <<: *user\n    name: ana\n  - <<: *user\n    name: bo\n    role: admin\n',
  );
  expect(source.syntaxDiagnostics()).toEqual([]);
  expect(source.value()).toMatchObject({
    users: [
      { tenant: 'acme', role: 'member', name: 'ana' },
      { tenant: 'acme', role: 'admin', name: 'bo' },
    ],
  });
});

test('a field or list item left blank is said to be empty, at its key, whatever the file: not "expected string, got null"', () => {
  const source = new YamlSource('w.yaml', 'goal:\nlevel:\nsteps:\n  - one\n  -\n');
  const schema = z.strictObject({ goal: z.string(), level: z.enum(['low', 'high']), steps: z.array(z.string()) });
  expect(
    validateSource(source, schema, 's.json').diagnostics.map(
      d => `${d.line}:${d.col} ${d.path} ${d.rule}: ${d.message} (${d.hint})`,
    ),
  ).toEqual([
    '1:1 goal empty-field: "goal" is empty: fill it in (write its value after "goal:"; s.json describes it)',
    '2:1 level empty-field: "level" is empty: fill it in (write its value after "level:": one of "low", "high")',
    '5:4 steps[1] empty-field: item 2 of "steps" is empty: fill it in or remove it (write it; s.json describes it)',
  ]);
});

test("a renamed schema parses into camelCase, while its problems name the file's snake_case fields", () => {
  const schema = renamed(
    z.strictObject({ name: z.string(), login_path: z.string().startsWith('/'), step_timeout_s: z.number() }),
    { login_path: 'loginPath', step_timeout_s: 'stepTimeoutS' },
  );
  const valid = validateSource(new YamlSource('e.yaml', 'name: a\nlogin_path: /in\nstep_timeout_s: 3\n'), schema, 's');
  expect(valid.value).toEqual({ name: 'a', loginPath: '/in', stepTimeoutS: 3 });
  const source = new YamlSource('e.yaml', 'name: a\nlogin_path: in\nstep_timeout_s: 3\nloginPath: /in\n');
  expect(validateSource(source, schema, 's').diagnostics.map(d => `${d.line}:${d.col} ${d.path} ${d.rule}`)).toEqual([
    '2:13 login_path schema',
    '4:1 loginPath unknown-field',
  ]);
  // What cross-checks still see of a file that failed: its valid fields, in the parsed shape.
  expect(lenientParse(schema, source.value())).toEqual({ name: 'a', stepTimeoutS: 3 });
});

test('firstLine: the words a person needs, without the error name and colours, with the hint', () => {
  expect(firstLine('PackgateError: no verdict at x\n  hint: run the gate first')).toBe(
    'no verdict at x (hint: run the gate first)',
  );
  expect(firstLine('\u001b[31mError: boom\u001b[39m\n    at stack')).toBe('boom');
});

test("a map in a union is judged by the one form that takes its fields, inside another union too: the login steps' and identity_check's slips", () => {
  const oidc = z.strictObject({ login: loginDriverSchema, identity_check: identityCheckSchema.optional() });
  const said = (text: string) =>
    validateSource(new YamlSource('e.yaml', text), oidc, 's.json').diagnostics.map(
      d => `${d.line}:${d.col} ${d.path}: ${d.message} (${d.hint})`,
    );
  const steps = (first: string) =>
    `login:\n  driver: steps\n  steps:\n    - ${first}\n    - { fill: '#p', with: password }\n`;
  // A value the fill step does not take: said of the value, not "a map is not any of the accepted forms".
  expect(said(steps("{ fill: '#u', with: usrname }"))).toEqual([
    '4:27 login.steps[0].with: expected one of "username", "email", "password", got "usrname" (did you mean "username"?)',
  ]);
  // A misspelt field of a step: the fields of the steps form of the login union, not of its first form.
  expect(said(steps("{ clik: '#next' }"))).toEqual([
    '4:9 login.steps[0].clik: unknown field "clik" (did you mean "click"?)',
  ]);
  expect(said(steps("{ click: '#go', optinal: true }"))).toEqual([
    '4:23 login.steps[0].optinal: unknown field "optinal" (did you mean "optional"?)',
  ]);
  // A union with a form that is no map (`none`): that form has no say about the map's fields.
  expect(
    said('login: { driver: keycloak }\nidentity_check: { api: { base: api, path: /v1/me }, feild: username }\n'),
  ).toEqual(['2:53 identity_check.feild: unknown field "feild" (did you mean "field"?)']);
});

test('a string no form of a union takes, one typo from a literal it takes, gets that literal: identity_check: nnoe', () => {
  const schema = z.strictObject({ identity_check: identityCheckSchema });
  const said = (text: string) =>
    validateSource(new YamlSource('e.yaml', text), schema, 's.json').diagnostics.map(
      d => `${d.line}:${d.col} ${d.path}: ${d.message} (${d.hint})`,
    );
  // Before: no did-you-mean, only "see s.json for what this field takes".
  expect(said('identity_check: nnoe\n')).toEqual([
    '1:17 identity_check: "nnoe" is not any of the accepted forms (did you mean "none"?)',
  ]);
  // A literal in a union within the union counts too; a string near none of them gets no guess.
  const nested = z.strictObject({ mode: z.union([z.union([z.literal('off'), z.literal('warn')]), z.number()]) });
  expect(
    validateSource(new YamlSource('e.yaml', 'mode: wran\n'), nested, 's.json').diagnostics.map(d => d.hint),
  ).toEqual(['did you mean "warn"?']);
  expect(said('identity_check: whatever\n')).toEqual([
    '1:17 identity_check: "whatever" is not any of the accepted forms (see s.json for what this field takes)',
  ]);
});

test('a misspelt required field is said once, as the unknown field with its did-you-mean, not also as missing', () => {
  const schema = z.strictObject({
    oidc: z.strictObject({ client_id: z.string(), login_path: z.string().optional(), scopes: z.string() }),
  });
  const said = (text: string) =>
    validateSource(new YamlSource('e.yaml', text), schema, 's.json').diagnostics.map(
      d => `${d.line}:${d.col} ${d.path}: ${d.message} (${d.hint})`,
    );
  // Before, also: '2:3 oidc.client_id: missing required field "client_id" (add "client_id:" here; ...)'.
  expect(said('oidc:\n  clent_id: x\n  scopes: openid\n')).toEqual([
    '2:3 oidc.clent_id: unknown field "clent_id" (did you mean "client_id"?)',
  ]);
  // A required field missing that no unknown field is near is still missing; the slip beside it is its own.
  expect(said('oidc:\n  clent_id: x\n  colour: blue\n')).toEqual([
    '2:3 oidc.scopes: missing required field "scopes" (add "scopes:" here; s.json describes it)',
    '2:3 oidc.clent_id: unknown field "clent_id" (did you mean "client_id"?)',
    '3:3 oidc.colour: unknown field "colour" (fields allowed here: client_id, login_path, scopes)',
  ]);
  // Inside the one form of a union that takes the map: the form driver's selectors.
  const login = z.strictObject({ login: loginDriverSchema });
  expect(
    validateSource(
      new YamlSource('e.yaml', "login: { driver: form, selectors: { usernme: '#u', password: '#p', submit: '#s' } }\n"),
      login,
      's.json',
    ).diagnostics.map(d => `${d.path}: ${d.message} (${d.hint})`),
  ).toEqual(['login.selectors.usernme: unknown field "usernme" (did you mean "username"?)']);
});
