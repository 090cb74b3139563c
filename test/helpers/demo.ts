import fs from 'node:fs';
import path from 'node:path';
import type { TempProject } from './temp-project.ts';
import { localSecret } from '../../src/environment/local-secrets.ts';

/**
 * Env vars that point the demo descriptor at the temp project's local stack, as a team points it at
 * a deployment: URLs and the passwords, nothing else changed. Plain HTTP is allowed for the test.
 */
export function demoAtLocalStack(project: TempProject, password: string): Record<string, string> {
  return {
    PACKGATE_DEMO_APP_URL: project.env.PACKGATE_LOCAL_APP_URL,
    PACKGATE_DEMO_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL,
    PACKGATE_DEMO_USER_PASSWORD: password,
    // The second persona's account, as the local stack has it (its env var, or the dev secret it generated).
    PACKGATE_DEMO_MEMBER_PASSWORD:
      project.env.PACKGATE_LOCAL_MEMBER_PASSWORD ?? localSecret(project.dir, 'PACKGATE_LOCAL_MEMBER_PASSWORD'),
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

/**
 * Env vars that point the demo descriptor at any server (one that never answers, a wrong issuer),
 * with passwords nothing checks; plain HTTP is allowed for the test.
 */
export function demoAt(app: string, issuer: string): Record<string, string> {
  return {
    PACKGATE_DEMO_APP_URL: app,
    PACKGATE_DEMO_ISSUER_URL: issuer,
    PACKGATE_DEMO_USER_PASSWORD: 'x',
    PACKGATE_DEMO_MEMBER_PASSWORD: 'y',
    PACKGATE_ALLOW_HTTP: '1',
  };
}
