import type { TempProject } from './temp-project.ts';

/**
 * Env vars that point the demo descriptor at the temp project's local stack, as a team points it at
 * a deployment: URLs and the password, nothing else changed. Plain HTTP is allowed for the test.
 */
export function demoAtLocalStack(project: TempProject, password: string): Record<string, string> {
  return {
    PACKGATE_DEMO_APP_URL: project.env.PACKGATE_LOCAL_APP_URL,
    PACKGATE_DEMO_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL,
    PACKGATE_DEMO_USER_PASSWORD: password,
    PACKGATE_ALLOW_HTTP: '1',
  };
}
