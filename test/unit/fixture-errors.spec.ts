import { expect, test } from '@playwright/test';
import { AccessLog } from '../../fixtures/access-log.ts';
import { Api } from '../../fixtures/api.ts';
import { packContext, specRunningAt } from '../../fixtures/pack-context.ts';
import { seedData } from '../../fixtures/seed.ts';
import { urlsOf } from '../../fixtures/urls.ts';
import type { ResolvedEnvironment } from '../../src/environment/resolve.ts';
import type { RunPlan } from '../../src/run/run-plan.ts';
import type { Pack } from '../../src/schema/pack.ts';

/** What the fixtures find wrong is a PackgateError: a code, what and where, and a hint saying what to do. */
const env = {
  name: 'local',
  file: 'environments/local.yaml',
  urls: { app: 'http://127.0.0.1:1', authIssuer: 'http://127.0.0.1:2/realms/x' },
  identities: {},
  overrides: {},
} as unknown as ResolvedEnvironment;

const pack = {
  id: 'shell',
  seeds: ['base'],
  records: ['projects'],
  paths: { shell: '/shell', notebook: '/notebooks/{id}' },
  selectors: {},
  layers: ['api', 'browser', 'remote'],
  specs: { api: ['api.spec.ts'], browser: ['browser.spec.ts'], remote: ['browser.spec.ts'] },
} as unknown as Pack;

const plan = {
  packsDir: '/repo/packs',
  packs: { shell: { definition: pack, dir: 'packs/shell' } },
  seeds: { base: { users: [{ id: 'alice' }], records: { projects: [{ id: 'p-1' }] } } },
} as unknown as RunPlan;

function thrown(fn: () => unknown): { code?: string; message: string; hint?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error('did not throw');
}

test('urls: a base the environment lacks names the environment, the field and the file to add it to', () => {
  expect(thrown(() => urlsOf(env).api('/v1/me'))).toMatchObject({
    code: 'ENV_VALUE_MISSING',
    message:
      'environment "local" has no urls.api\n  hint: add it to environments/local.yaml: the pack builds a URL on it',
  });
});

test('pack context: an unknown path, a missing placeholder, a missing identity, a tag that disagrees', () => {
  const context = packContext(plan, env, urlsOf(env), { pack: 'shell', layer: 'api' }, []);
  expect(thrown(() => context.path('shel'))).toMatchObject({
    code: 'PACK_INCOMPLETE',
    message: expect.stringMatching(/^pack "shell" has no path "shel"\n {2}hint: /),
    hint: 'add it under paths: in packs/shell/pack.yaml, or did you mean "shell"?',
  });
  expect(thrown(() => context.path('notebook'))).toMatchObject({
    code: 'INPUT_INVALID',
    message: expect.stringMatching(
      /^path "notebook" of pack "shell" \(\/notebooks\/\{id\}\) needs a value for \{id\}\n {2}hint: /,
    ),
    hint: "pass it: pack.path('notebook', { id: '...' })",
  });
  expect(thrown(() => context.identity())).toMatchObject({
    code: 'PACK_INCOMPLETE',
    hint: 'add identity: <seed user id> to packs/shell/pack.yaml',
  });
  expect(
    thrown(() => packContext(plan, env, urlsOf(env), { pack: 'shell', layer: 'api' }, ['@pack:other'])),
  ).toMatchObject({ code: 'SPEC_MISPLACED', hint: 'remove the tag or correct it' });
});

test("pack context: a spec's wrong name is reported at the spec's line, where Playwright shows its code frame", () => {
  const context = packContext(plan, env, urlsOf(env), { pack: 'shell', layer: 'api' }, []);
  for (const call of [() => context.url('shel'), () => context.selector('nope'), () => context.path('notebook')]) {
    const error = thrown(call) as Error;
    // The first frame is this file (the caller), not fixtures/pack-context.ts.
    expect(error.stack!.split('\n').find(line => line.trimStart().startsWith('at '))).toContain(
      'fixture-errors.spec.ts',
    );
  }
});

test("a spec runs only at the layers its pack's layers: send it to", () => {
  expect(specRunningAt(plan, '/repo/packs/shell/browser.spec.ts', 'remote', 'demo-remote')).toEqual({
    pack: 'shell',
    spec: 'browser.spec.ts',
  });
  expect(thrown(() => specRunningAt(plan, '/repo/packs/shell/browser.spec.ts', 'api', 'local-api'))).toMatchObject({
    code: 'SPEC_MISPLACED',
    message: expect.stringMatching(
      /^packs\/shell\/browser\.spec\.ts runs in api project "local-api", but pack "shell" runs api\.spec\.ts at layer api\n/,
    ),
    hint: 'name it under layers: api in packs/shell/pack.yaml, or run it in a project of a layer that runs it',
  });
  expect(thrown(() => specRunningAt(plan, '/repo/test/helper.ts', 'api', 'local-api'))).toMatchObject({
    code: 'SPEC_MISPLACED',
    hint: 'pack specs live at /repo/packs/<pack>/<name>.spec.ts',
  });
});

test('seed data: an unknown user or record gets "did you mean", an undeclared kind how to declare it', () => {
  const seed = seedData(plan, pack, env);
  expect(thrown(() => seed.user('alcie'))).toMatchObject({
    code: 'SEED_UNKNOWN',
    message: expect.stringMatching(/^no user "alcie" in the seed sets base of pack "shell"\n {2}hint: /),
    hint: 'add it to one of those seed sets, or did you mean "alice"?',
  });
  expect(thrown(() => seed.record('projects', 'p-2'))).toMatchObject({
    code: 'SEED_UNKNOWN',
    hint: 'add it to one of those seed sets, or did you mean "p-1"?',
  });
  expect(thrown(() => seed.records('nodes'))).toMatchObject({
    code: 'PACK_INCOMPLETE',
    message: expect.stringMatching(/^pack "shell" reads seed records "nodes" without declaring them\n {2}hint: /),
    hint: 'add records: [projects, nodes] to its pack.yaml',
  });
});

test('api and access log: a failed GET names the URL and status; no access log URL names the file', async () => {
  const response = { ok: () => false, status: () => 503, text: async () => 'down', headers: () => ({}) };
  const api = new Api(
    { fetch: async () => response } as never,
    { record: () => {} } as never,
    { traceparent: () => '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } as never,
  );
  await expect(api.json('http://127.0.0.1:1/v1/me')).rejects.toMatchObject({
    code: 'HTTP_UNEXPECTED',
    message: expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:1\/v1\/me answered HTTP 503: down\n {2}hint: /),
  });
  const log = new AccessLog(api, undefined, { name: 'local', file: 'environments/local.yaml' });
  await expect(log.find({ correlationId: 'c-1' })).rejects.toMatchObject({
    code: 'ENV_VALUE_MISSING',
    message:
      'environment "local" does not say where its access log can be read\n  hint: add urls.access_log to environments/local.yaml',
  });
});
