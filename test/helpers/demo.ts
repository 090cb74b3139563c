import fs from 'node:fs';
import path from 'node:path';
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

/**
 * Makes the demo descriptor run `pack` alone: every other pack of the project excluded, with
 * `reason`, so a release-stage run stays short and a hold on another pack is on one demo does not run.
 */
export function demoRunsOnly(project: TempProject, pack: string, reason: string): void {
  const others = fs
    .readdirSync(path.join(project.dir, 'packs'), { withFileTypes: true })
    .filter(entry => entry.isDirectory() && entry.name !== pack)
    .map(entry => entry.name)
    .sort();
  project.edit(
    'environments/demo.yaml',
    text =>
      text + 'packs:\n  exclude:\n' + others.map(other => `    - { pack: ${other}, reason: ${reason} }\n`).join(''),
  );
}
