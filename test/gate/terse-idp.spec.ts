import { expect, test } from '@playwright/test';
import { demoAtLocalStack } from '../helpers/demo.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * An IdP (or the gateway in front of it) that refuses the app's unregistered callback with a bare
 * 403 and an empty body. Chromium turns that into a failed navigation, which once read as the app
 * failing to open; every layer must say the IdP refused the authorization request, with the status,
 * the redirect_uri and the client id.
 */

type Evidence = { tests: Array<{ title: string; project: string; errors: string[] }> };

/** The first error of each test in auth-session's evidence, the sign-in setup's among them (the pack proves it). */
function errorsOf(project: TempProject): Map<string, string> {
  const evidence = JSON.parse(project.read('gate-results/evidence/auth-session/evidence.json')) as Evidence;
  return new Map(evidence.tests.map(t => [`${t.project} › ${t.title}`, t.errors[0] ?? '']));
}

const BROWSER_REFUSAL =
  /^SignInError: sign-in failed at step "idp-showed-form": the IdP refused the authorization request \(HTTP 403\): \(empty page\) \(redirect_uri=http:\/\/127\.0\.0\.1:\d+\/auth\/callback, client_id=gpuaas-app\)/;
const API_REFUSAL =
  /IdP refused redirect_uri http:\/\/127\.0\.0\.1:\d+\/auth\/callback for client gpuaas-app \(HTTP 403\): \(empty page\)/;

test('an empty 403 from the IdP is reported as the IdP refusing the authorization request, at every layer', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const project = await TempProject.create(testInfo);
  const terse = { PACKGATE_STACK_FAULTS: 'callback-unregistered', PACKGATE_STACK_TERSE_REFUSALS: '1' };

  const local = await project.playwright(
    ['--project=local-api', '--project=local-browser', 'packs/auth-session/'],
    terse,
  );
  expect(local.exitCode, local.output).toBe(1);
  let errors = errorsOf(project);
  expect(errors.get("local-api › authorize accepts the app's registered callback")).toMatch(API_REFUSAL);
  expect(errors.get('local-sign-in › sign in as ada')).toMatch(BROWSER_REFUSAL);

  const password = `terse-${Date.now()}`;
  const stack = await project.startStack({ ...terse, PACKGATE_LOCAL_USER_PASSWORD: password });
  try {
    const remote = await project.playwright(
      ['--project=demo-remote', 'packs/auth-session/'],
      demoAtLocalStack(project, password),
    );
    expect(remote.exitCode, remote.output).toBe(1);
    errors = errorsOf(project);
    expect(errors.get("demo-remote › authorize accepts the app's registered callback")).toMatch(API_REFUSAL);
    expect(errors.get('demo-sign-in › sign in as ada')).toMatch(BROWSER_REFUSAL);
  } finally {
    stack.kill('SIGTERM');
  }
});
