import fs from 'node:fs';
import path from 'node:path';
import type { VerdictFile } from '../../src/schema/verdict.ts';

/**
 * A gate output folder in the shape the gate reporter writes (verdict.json, summary.md,
 * evidence/<pack>/...), copied from a real local-api run, for recording tests that need no stack.
 */
export function writeGateOutput(
  dir: string,
  options: { verdict?: Partial<VerdictFile>; status?: 'PASS' | 'FAIL'; trace?: boolean; skipFiles?: string[] } = {},
): VerdictFile {
  const status = options.status ?? 'PASS';
  const files = [
    'evidence/auth-session/evidence.json',
    ...(options.trace ? ['evidence/auth-session/sign-in/attempt-2-trace.zip'] : []),
  ];
  const verdict: VerdictFile = {
    schemaVersion: 1,
    verdict: status === 'PASS' ? 'PASS' : 'BLOCKED',
    headline: status === 'PASS' ? 'PASS: local (dev): 1 passed' : 'BLOCKED: local (dev): 1 blocking failure',
    environment: 'local',
    stage: 'dev',
    kind: 'embedded',
    complete: true,
    projects: ['local-api'],
    faults: [],
    startedAt: '2026-11-26T01:46:42.761Z',
    durationMs: 7108,
    packs: [
      {
        id: 'auth-session',
        title: 'Auth and session',
        owner: 'C-ops',
        policy: 'blocking',
        status,
        blocks: status !== 'PASS',
        reason: status === 'PASS' ? 'all 4 tests passed' : 'the IdP refused the redirect_uri',
        layers: ['api'],
        missingTests: [],
        notApplicable: [],
        refusals: [],
        tests: {
          total: 4,
          passed: status === 'PASS' ? 4 : 3,
          failed: status === 'PASS' ? 0 : 1,
          flaky: 0,
          skipped: 0,
          notRun: 0,
        },
        evidence: {
          dir: 'evidence/auth-session',
          files,
          correlationIds: ['006c0ba8-fe18-45d6-bdb3-e546291ef067'],
          traceIds: ['4bf92f3577b34da6a3ce929d0e0e4736'],
          missingArtifacts: [],
        },
      },
    ],
    excluded: [],
    problems: [],
    ...options.verdict,
  };
  const write = (file: string, content: string | Buffer) => {
    if (options.skipFiles?.includes(file)) return;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };
  write('verdict.json', JSON.stringify(verdict, null, 2) + '\n');
  write('summary.md', `## packgate ${verdict.verdict}\n`);
  write(
    'evidence/auth-session/evidence.json',
    JSON.stringify({ schemaVersion: 1, pack: 'auth-session', status }, null, 2) + '\n',
  );
  if (options.trace)
    write('evidence/auth-session/sign-in/attempt-2-trace.zip', Buffer.from([0x50, 0x4b, 3, 4, 0, 1, 2, 3]));
  return verdict;
}
