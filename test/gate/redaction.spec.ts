import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from '@playwright/test';
import { inlinePack } from '../helpers/inline-pack.ts';
import { TempProject } from '../helpers/temp-project.ts';

/** Every file the run left behind, zips opened entry by entry, as text. */
function everythingWritten(project: TempProject): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.zip'))
        for (const [name, bytes] of Object.entries(unzipSync(fs.readFileSync(full))))
          files.set(`${full}!${name}`, strFromU8(bytes, true));
      else files.set(full, fs.readFileSync(full, 'latin1'));
    }
  };
  walk(path.join(project.dir, 'gate-results'));
  walk(path.join(project.dir, 'test-results'));
  return files;
}

test('a password typed into the IdP never reaches evidence, traces included', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const typed = `Typed-Secret-${Date.now()}`;
  // The stack knows another password, so the sign-in fails after the secret was typed.
  const stack = await project.startStack({ PACKGATE_LOCAL_USER_PASSWORD: 'the-stacks-own-password' });
  try {
    const result = await project.playwright(['--project=local-browser', 'packs/auth-session/'], {
      PACKGATE_STACK: 'never',
      PACKGATE_LOCAL_USER_PASSWORD: typed,
    });
    expect(result.exitCode, result.output).toBe(1);
  } finally {
    stack.kill('SIGTERM');
  }
  const pack = project.verdict().packs.find(p => p.id === 'auth-session')!;
  expect(pack.reason).toContain(
    'sign-in failed at step "idp-accepted-credentials": the IdP refused the credentials of "ada"',
  );
  expect(
    pack.evidence.files.some(f => f.endsWith('trace.zip')),
    'the retry of the failed sign-in was traced',
  ).toBe(true);

  const written = everythingWritten(project);
  const leaks = [...written].filter(([, text]) => text.includes(typed)).map(([file]) => file);
  expect(leaks).toEqual([]);
  // The trace did record the form post, with the password redacted: redaction ran, not luck.
  const formPosts = [...written].filter(
    ([file, text]) => file.includes('trace') && /username=ada&password=/.test(text),
  );
  expect(formPosts.length).toBeGreaterThan(0);
  expect(formPosts.every(([, text]) => text.includes('password=[REDACTED]'))).toBe(true);
});

test('session cookies of a signed-in test never reach its trace', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/auth-session/browser.spec.ts': `import { expect, test } from '../../fixtures/index.ts';
test('fails after signing in', async ({ page, pack }) => {
  await page.goto(pack.url('shell'));
  expect(1, 'made to fail after the shell loaded').toBe(2);
});
`,
  });
  const result = await project.playwright(['--project=local-browser', 'packs/auth-session/']);
  expect(result.exitCode, result.output).toBe(1);
  const written = everythingWritten(project);
  const traces = [...written].filter(([file]) => file.includes('trace.zip!'));
  expect(traces.length, 'the failing test kept its trace').toBeGreaterThan(0);
  expect(
    traces.some(([, text]) => text.includes('"name":"gpuaas_session","value":"[REDACTED]"')),
    'the trace recorded the cookie, redacted',
  ).toBe(true);
  const pack = project.verdict().packs.find(p => p.id === 'auth-session')!;
  expect(
    pack.evidence.files.some(f => /\/attempt-1-screenshot[^/]*\.png$/.test(f)),
    'the failing attempt left a screenshot',
  ).toBe(true);
  const leaks = [...written]
    .filter(([, text]) =>
      /gpuaas_session=(?!\[REDACTED\])[A-Za-z0-9_-]{8}|"name":"gpuaas_session","value":"(?!\[REDACTED\])/.test(text),
    )
    .map(([file]) => file);
  expect(leaks).toEqual([]);
});

test('evidence that cannot be redacted is deleted, and the verdict names each file', async ({}, testInfo) => {
  const project = await TempProject.create(
    testInfo,
    inlinePack({
      id: 'odd-evidence',
      policy: { dev: 'advisory' },
      layer: 'api',
      body: `const file = test.info().outputPath('odd.zip');
    (await import('node:fs')).writeFileSync(file, 'PK\\u0003\\u0004 not really a zip');
    await test.info().attach('odd', { path: file, contentType: 'application/zip' });
    expect(file).toContain('odd.zip');`,
    }),
  );
  const result = await project.playwright(['--project=local-api', 'packs/odd-evidence/']);
  expect(result.exitCode, result.output).toBe(0);
  const verdict = project.verdict();
  expect(verdict.verdict).toBe('PASS_WITH_WARNINGS');
  expect(verdict.packs.find(p => p.id === 'odd-evidence')).toMatchObject({ status: 'PASS' });
  // The attachment (Playwright's copy under attachments/), and the file the test wrote into its
  // output folder: test-results is published too, and neither can be read.
  expect(verdict.problems).toEqual([
    expect.objectContaining({
      severity: 'warning',
      message: expect.stringMatching(
        /^deleted attachment "odd" of "odd-evidence journey": it could not be redacted \(corrupt zip: .*\): test-results\/.*\/attachments\/odd-[0-9a-f]+\.zip$/,
      ),
    }),
    expect.objectContaining({
      severity: 'warning',
      message: expect.stringMatching(
        /^test-results\/odd-evidence-[^/]*\/odd\.zip: removed from the published artifacts, it could not be redacted \(corrupt zip: /,
      ),
    }),
  ]);
  const left = fs
    .readdirSync(path.join(project.dir, 'test-results'), { recursive: true })
    .map(String)
    .filter(f => f.endsWith('.zip'));
  expect(left).toEqual([]);
});

test("a password typed into a page never reaches the error context's page snapshot", async ({}, testInfo) => {
  // Neither value is one the redactor knows: only the field it was typed into says it is secret. They
  // reach the test from the environment, so that no source the evidence quotes holds them.
  const typed = { TYPED_PASSWORD: `New-Secret-${Date.now()}`, TYPED_PIN: 'q7Zx' };
  const project = await TempProject.create(testInfo, {
    'packs/auth-session/browser.spec.ts': `import { expect, test } from '../../fixtures/index.ts';
test('fails with a password typed', async ({ page }) => {
  await page.setContent('<label>Name <input value="ada"></label><label>New password <input type="password"></label><label>PIN <input type="password"></label>');
  await page.getByLabel('New password').fill(process.env.TYPED_PASSWORD!);
  await page.getByLabel('PIN').fill(process.env.TYPED_PIN!);
  expect(1, 'made to fail with the form filled').toBe(2);
});
`,
  });
  const result = await project.playwright(['--project=local-browser', 'packs/auth-session/'], typed);
  expect(result.exitCode, result.output).toBe(1);
  const written = everythingWritten(project);
  const contexts = [...written].filter(([file]) => file.endsWith('error-context.md'));
  expect(contexts.length, 'the failing test left its error context').toBeGreaterThan(0);
  for (const [file, text] of contexts) {
    // The snapshot shows the form, its password fields masked and the name field as typed.
    expect(text, file).toMatch(/- textbox "New password"[^\n]*: \[REDACTED\]\n/);
    expect(text, file).toMatch(/- textbox "PIN"[^\n]*: \[REDACTED\]\n/);
    expect(text, file).toMatch(/- textbox "Name"[^\n]*: ada\n/);
  }
  const leaks = [...written]
    .filter(([, text]) => Object.values(typed).some(value => text.includes(value)))
    .map(([file]) => file);
  expect(leaks).toEqual([]);
});

test("a secret in an attachment's name names no file: not in test-results, the evidence, nor inside an archive", async ({}, testInfo) => {
  const secret = `Attach-Secret-${Date.now()}`;
  const project = await TempProject.create(
    testInfo,
    inlinePack({
      id: 'named-after-secret',
      policy: { dev: 'advisory' },
      layer: 'api',
      // A zip of the test's own, an entry named after the password, attached under a name holding it.
      body: `const { zipSync } = await import('fflate');
    const password = env.secrets.get('user-password');
    const file = test.info().outputPath('sent.zip');
    (await import('node:fs')).writeFileSync(file, zipSync({ [\`sent-\${password}.txt\`]: new TextEncoder().encode('hello') }));
    await test.info().attach(\`request for \${password}\`, { path: file, contentType: 'application/zip' });
    expect(1, 'made to fail with the attachment').toBe(2);`,
    }),
  );
  const result = await project.playwright(['--project=local-api', 'packs/named-after-secret/'], {
    PACKGATE_LOCAL_USER_PASSWORD: secret,
  });
  expect(result.exitCode, result.output).toBe(0);
  const pack = project.verdict().packs.find(p => p.id === 'named-after-secret')!;
  const copied = pack.evidence.files.filter(f => f.endsWith('.zip'));
  expect(copied.length, "the failing attempt's attachment is in the evidence").toBeGreaterThan(0);
  const written = everythingWritten(project);
  expect(
    [...written.keys()].filter(name => name.endsWith('.txt') && name.includes('.zip!')),
    'the zip kept its entry',
  ).not.toEqual([]);
  const named = [...written.keys()].map(file => path.relative(project.dir, file)).filter(file => file.includes(secret));
  expect(named).toEqual([]);
  const leaks = [...written].filter(([, text]) => text.includes(secret)).map(([file]) => file);
  expect(leaks).toEqual([]);
});

test("a secret of the run's own environment (a CI job's token, a deploy password) never reaches evidence nor the console", async ({}, testInfo) => {
  // Named as a secret, set for the run, known to no packgate environment: a test quotes it in its failure.
  const secret = `ci-deploy-${Date.now()}`;
  const project = await TempProject.create(
    testInfo,
    inlinePack({
      id: 'quotes-ci-secret',
      policy: { dev: 'advisory' },
      layer: 'api',
      body: `console.log('deploying with', process.env.CI_DEPLOY_PASSWORD);
    console.error('still deploying with', process.env.CI_DEPLOY_PASSWORD);
    expect(process.env.CI_DEPLOY_PASSWORD, 'made to fail quoting the value').toBe('something else');`,
    }),
  );
  const result = await project.playwright(['--project=local-api', 'packs/quotes-ci-secret/'], {
    CI_DEPLOY_PASSWORD: secret,
  });
  expect(result.exitCode, result.output).toBe(0);
  const written = everythingWritten(project);
  const evidence = [...written].find(([file]) => file.endsWith('quotes-ci-secret/evidence.json'))![1];
  expect(evidence, 'the failure was recorded, the value redacted').toContain('Received: \\"[REDACTED]\\"');
  const leaks = [...written]
    .filter(([, text]) => text.includes(secret))
    .map(([file]) => path.relative(project.dir, file));
  expect(leaks).toEqual([]);
  // The printing reporter copied the test's output to the console as it came: a CI log is published too.
  expect(result.output).not.toContain(secret);
  expect(result.stdout).toContain('deploying with [REDACTED]');
  expect(result.stderr).toContain('still deploying with [REDACTED]');
});
