import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoAtLocalStack, demoRunsOnly } from '../helpers/demo.ts';
import { TempProject } from '../helpers/temp-project.ts';

/** demo-deploy with two blocking manual checks, and demo running the manual layer beside remote. */
function withManualChecks(project: TempProject): void {
  project.edit(
    'packs/demo-deploy/pack.yaml',
    text =>
      text.replace('  remote: [api.spec.ts, login-redirect.spec.ts]\n', '$&  manual: []\n') +
      [
        'manual:',
        '  - id: looks-right',
        '    title: The deployed shell looks right',
        '    start: app-health',
        '    steps: [Open the app, Look at the header]',
        '    expected: The header shows the product name',
        '    lane: C-ops',
        '    valid_for: 7d',
        '  - id: quick-look',
        '    title: A quick look that expires at once',
        '    start: app-health',
        '    steps: [Look]',
        '    expected: Nothing odd',
        '    lane: C-ops',
        '    valid_for: 1ms',
        '',
      ].join('\n'),
  );
  project.edit('environments/demo.yaml', text => text.replace('layers: [remote]', 'layers: [remote, manual]'));
  demoRunsOnly(project, 'demo-deploy', 'manual-layer test');
}

test('a release gate blocks a pack whose blocking manual check has no valid verdict, and lists a recorded pass as manual', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  withManualChecks(project);
  const password = 'manual-layer-' + Date.now();
  project.env.PACKGATE_LOCAL_USER_PASSWORD = password;
  const env = demoAtLocalStack(project, password);
  const stack = await project.startStack();
  try {
    // 1. No verdict recorded: the pack's tests pass, but it is NOT_RUN and the release BLOCKED, naming each check.
    let result = await project.playwright(['--project=demo-remote'], env);
    expect(result.exitCode, result.output).toBe(1);
    let verdict = project.verdict();
    let pack = verdict.packs.find(p => p.id === 'demo-deploy')!;
    expect(verdict.verdict).toBe('BLOCKED');
    expect(pack).toMatchObject({
      status: 'NOT_RUN',
      blocks: true,
      layers: ['remote', 'manual'],
      reason: 'manual check looks-right has no valid verdict: none was recorded for demo',
    });
    expect(pack.tests.failed).toBe(0);
    expect(pack.manual.map(m => [m.id, m.status])).toEqual([
      ['looks-right', 'missing'],
      ['quick-look', 'missing'],
    ]);
    expect(verdict.problems.map(p => p.message)).toContain(
      'pack demo-deploy: manual check quick-look has no valid verdict: none was recorded for demo; ' +
        'record one with `packgate manual run --pack demo-deploy --env demo --check quick-look --lane C-ops`',
    );
    expect(result.output).toContain('manual demo-deploy/looks-right (blocking): no verdict recorded');

    // 2. Recorded passes: one valid for 7 days, its evidence redacted; one expired as soon as it was recorded.
    const evidence = path.join(project.dir, 'notes.txt');
    fs.writeFileSync(evidence, `checked by hand; the password ${password} was typed\n`);
    const recorded = await project.packgate(
      [
        ...['manual', 'record', '--pack', 'demo-deploy', '--env', 'demo', '--check', 'looks-right'],
        ...['--result', 'pass', '--lane', 'C-ops', '--note', 'header fine', '--evidence', evidence],
        ...['--actor', 'alice', '--json'],
      ],
      env,
    );
    expect(recorded.exitCode, recorded.output).toBe(0);
    const { verdict: stored } = JSON.parse(recorded.stdout) as {
      verdict: { recordedBy: string; recordedAt: string; expiresAt: string; evidence: Array<{ digest: string }> };
    };
    expect(stored).toMatchObject({ recordedBy: 'alice', lane: 'C-ops', result: 'pass', source: 'record' });
    expect(Date.parse(stored.expiresAt) - Date.parse(stored.recordedAt)).toBe(7 * 86_400_000);
    const blob = fs.readFileSync(
      path.join(
        project.dir,
        '.packgate/evidence/sha256',
        stored.evidence[0].digest.slice(0, 2),
        stored.evidence[0].digest,
      ),
      'utf8',
    );
    expect(blob).toContain('checked by hand');
    expect(blob).not.toContain(password);
    const quick = await project.packgate(
      [
        ...['manual', 'record', '--pack', 'demo-deploy', '--env', 'demo', '--check', 'quick-look'],
        ...['--result', 'pass', '--lane', 'C-ops', '--actor', 'bob'],
      ],
      env,
    );
    expect(quick.exitCode, quick.output).toBe(0);

    result = await project.playwright(['--project=demo-remote'], env);
    expect(result.exitCode, result.output).toBe(1);
    verdict = project.verdict();
    pack = verdict.packs.find(p => p.id === 'demo-deploy')!;
    expect(pack).toMatchObject({ status: 'NOT_RUN', blocks: true });
    expect(pack.reason).toMatch(
      /^manual check quick-look has no valid verdict since \S+ \(the pass recorded by bob at \S+ expired\)$/,
    );
    expect(pack.manual[0]).toEqual({
      id: 'looks-right',
      title: 'The deployed shell looks right',
      policy: 'blocking',
      status: 'valid',
      result: 'pass',
      by: 'alice',
      at: stored.recordedAt,
      expires: stored.expiresAt,
      note: 'header fine',
    });
    expect(pack.manual[1]).toMatchObject({ id: 'quick-look', status: 'expired', by: 'bob' });

    // 3. The expired check made advisory on demo: it warns, and the valid pass lets the pack through, as manual.
    project.edit('packs/demo-deploy/pack.yaml', text =>
      text.replace('    valid_for: 1ms\n', '    valid_for: 1ms\n    policy: { demo: advisory }\n'),
    );
    result = await project.playwright(['--project=demo-remote'], env);
    expect(result.exitCode, result.output).toBe(0);
    verdict = project.verdict();
    pack = verdict.packs.find(p => p.id === 'demo-deploy')!;
    expect(verdict.verdict).toBe('PASS_WITH_WARNINGS');
    expect(pack).toMatchObject({ status: 'PASS', blocks: false, layers: ['remote', 'manual'] });
    expect(verdict.problems.filter(p => p.message.includes('quick-look'))).toMatchObject([{ severity: 'warning' }]);
    const summary = project.read('gate-results/summary.md');
    expect(summary).toContain(
      `- manual demo-deploy/looks-right (blocking): pass recorded by alice at ${stored.recordedAt}, valid until ${stored.expiresAt} (header fine)`,
    );
  } finally {
    stack.kill('SIGTERM');
  }
});
