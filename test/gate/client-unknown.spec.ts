import { expect, test } from '@playwright/test';
import { demoAtLocalStack, demoRunsOnly } from '../helpers/demo.ts';
import { TempProject } from '../helpers/temp-project.ts';

// A descriptor whose oidc.client_id is not the app's at the IdP: the app's own sign-ins pass (it sends
// its own client id), and only the authorization request packgate sends is refused. The verdict must
// say which setting to check, as `env check` does, not the IdP's "Client not found." alone.
test("a wrong oidc.client_id: auth-session's reason names the setting and its env var", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const password = `client-${Date.now()}`;
  demoRunsOnly(project, 'auth-session', 'this test judges the client id alone');
  const stack = await project.startStack({ PACKGATE_LOCAL_USER_PASSWORD: password });
  try {
    const result = await project.playwright(['--project=demo-remote'], {
      ...demoAtLocalStack(project, password),
      PACKGATE_DEMO_CLIENT_ID: 'gpuaas-ap',
    });
    expect(result.exitCode, result.output).toBe(1);
    const pack = project.verdict().packs.find(p => p.id === 'auth-session')!;
    expect(pack).toMatchObject({ status: 'FAIL', blocks: true });
    expect(pack.reason).toMatch(
      new RegExp(
        "^authorize accepts the app's registered callback failed: IdP refused redirect_uri http://127\\.0\\.0\\.1:\\d+/auth/callback " +
          'for client gpuaas-ap \\(HTTP 400\\): Client not found\\..*; ' +
          "check oidc\\.client_id in environments/demo\\.yaml \\(PACKGATE_DEMO_CLIENT_ID\\) is the app's client id at the IdP$",
      ),
    );
    // The variants of the callback, refused by an IdP that refuses the client whatever the callback,
    // prove nothing of exact matching: that test is skipped (not passed), saying so. Before: it passed.
    const evidence = JSON.parse(project.read(`gate-results/${pack.evidence.dir}/evidence.json`)) as {
      tests: Array<{ title: string; outcome: string; skipReason?: string }>;
    };
    const variants = evidence.tests.find(t => t.title.startsWith('authorize refuses every unregistered variant'))!;
    expect(variants.outcome).toBe('skipped');
    expect(variants.skipReason).toContain('the registered callback is refused too (IdP refused redirect_uri');
  } finally {
    stack.kill('SIGTERM');
  }
});
