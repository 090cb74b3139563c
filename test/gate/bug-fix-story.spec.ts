import type { ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { RegressionProofEvent } from '../../src/review/recorded.ts';
import type { VerdictFile } from '../../src/schema/verdict.ts';
import { demoAtLocalStack, demoRunsOnly } from '../helpers/demo.ts';
import { TaskProject } from '../helpers/task-project.ts';

/**
 * The requirements document's own story, end to end, as the README's "Fix a bug the way the
 * requirements ask" types it: a deployed login callback regression ships; its bug-fix task gets a
 * packet, a worktree, the fix, a clean drift and an accepted handoff; the bug-fix record names the
 * regression that catches it; `review prove` shows it red on the base and green on the fix; and a
 * release-stage gate over the fixed stack stays BLOCKED on the task until its review is accepted.
 */
const TASK = 'C-DEMO-CALLBACK-001';
const STACK_SOURCE = 'stack/idp/idp.ts';
/** The IdP's client registration, as the stack writes it. */
const REGISTERED = ': [env.oidc.redirectUri];';
/** The regression: the IdP keeps the app's old callback registered, not the one the app sends. */
const REGRESSED = ': [`${env.urls.app}/oauth2/callback`];';
const REGRESSION = {
  pack: 'auth-session',
  spec: 'idp-contract.spec.ts',
  title: "authorize accepts the app's registered callback",
};

test('a bug fix ships only with its regression: red on the base, green on the fix, the release held until the review accepts it', async ({}, testInfo) => {
  test.setTimeout(600_000);
  const project = await TaskProject.create(testInfo);
  const implementer = { PACKGATE_ACTOR: 'fixer', PACKGATE_SESSION: 'fixer-1' };

  // The regression ships: a commit changes the IdP client's registered callback.
  const fixed = project.read(STACK_SOURCE);
  expect(fixed).toContain(REGISTERED);
  project.write({ [STACK_SOURCE]: fixed.replace(REGISTERED, REGRESSED) });
  project.commitAll('stack: the IdP client registers the old callback');

  // A bug-fix task with its packet: ready, and holding the release of auth-session's environments.
  const packet = await project.packgate(
    [
      'packet',
      'new',
      '--kind',
      'bugfix',
      '--task-id',
      TASK,
      '--owner-lane',
      'P-platform',
      '--pack',
      'auth-session',
      '--goal',
      'The IdP accepts the deployed login callback again',
      '--owned-files',
      STACK_SOURCE,
      '--acceptance',
      'a user signs in through the IdP again',
    ],
    implementer,
  );
  expect(packet.exitCode, packet.output).toBe(0);

  const started = await project.packgate(['task', 'start', TASK], implementer);
  expect(started.exitCode, started.output).toBe(0);
  const worktree = `${project.dir}/.packgate/worktrees/${TASK}`;

  // The fix lands in the embedded stack, on the task's branch.
  project.write({ [STACK_SOURCE]: fixed }, worktree);
  project.commitAll('stack: the IdP client registers the callback the app sends', worktree);

  // The pack's gate run in the worktree is the task's proof; drift is clean; the handoff is accepted.
  const gate = await project.playwright(
    ['--project=local-api', '--project=local-browser', 'packs/auth-session/'],
    worktree,
    implementer,
  );
  expect(gate.exitCode, gate.output).toBe(0);
  const drift = await project.packgate(['drift', '--task', TASK], implementer, worktree);
  expect(drift.stdout).toContain('all inside the packet');
  expect(drift.exitCode, drift.output).toBe(0);
  // The text item is proven by the run; the pack's own item by its PASS in it.
  const proved = await project.packgate(['task', 'prove', TASK, '--item', '1', '--run', '1'], implementer, worktree);
  expect(proved.exitCode, proved.output).toBe(0);
  const handoff = await project.packgate(['handoff', '--task', TASK], implementer, worktree);
  expect(handoff.exitCode, handoff.output).toBe(0);

  // The bug-fix record names the regression; the location is checked at the fix commit.
  project.write(
    {
      '.packgate/fix.yaml': [
        `task_id: ${TASK}`,
        'root_cause: the IdP client kept the old /oauth2/callback registered, so authorize refused the callback the app sends',
        'owning_layer: api',
        'impact: nobody could sign in to the demo; every login ended on the IdP error page',
        'proof_command: npx playwright test --project=local-api packs/auth-session/idp-contract.spec.ts',
        'regression:',
        '  pack: auth-session',
        '  spec: idp-contract.spec.ts',
        `  title: "${REGRESSION.title}"`,
        'layer_rationale: the IdP contract is checked over HTTP without a browser, the lowest layer that sees the refusal',
        'residual_risk: a deployment registering its callback by hand can still drift; the demo gate runs auth-session remotely',
        '',
      ].join('\n'),
    },
    worktree,
  );
  const record = await project.packgate(
    ['review', 'record', '--task', TASK, '--file', '.packgate/fix.yaml'],
    implementer,
    worktree,
  );
  expect(record.exitCode, record.output).toBe(0);

  // Red on the base, green on the fix.
  const prove = await project.json<{ proof: RegressionProofEvent }>(['review', 'prove', '--task', TASK], implementer);
  expect(prove.result.exitCode, prove.result.output).toBe(0);
  expect(prove.body.proof).toMatchObject({
    regression: REGRESSION,
    layer: 'api',
    mode: 'repository',
    before: { regressionPassed: false },
    after: { regressionPassed: true, othersFailed: [] },
  });

  // The fix is deployed: the release-stage gate runs against the stack of the fix.
  // The demo gate over the stack runs auth-session alone: the story is about its release, and it is short.
  demoRunsOnly(project.temp, 'auth-session', "the story is about auth-session's release");
  const password = 'story-' + Date.now();
  project.temp.env.PACKGATE_LOCAL_USER_PASSWORD = password;
  let stack: ChildProcess | undefined;
  try {
    stack = await project.temp.startStack({}, worktree);
    const demoGate = async (): Promise<{ exitCode: number; output: string; verdict: VerdictFile }> => {
      const run = await project.temp.playwright(['--project=demo-remote'], demoAtLocalStack(project.temp, password));
      return { ...run, verdict: project.temp.verdict() };
    };

    // Before the review is accepted: every test passes, and the release is BLOCKED on the task.
    const held = await demoGate();
    expect(held.exitCode, held.output).toBe(1);
    expect(held.verdict.packs.map(p => [p.id, p.status])).toEqual([['auth-session', 'PASS']]);
    expect(held.verdict).toMatchObject({ verdict: 'BLOCKED' });
    expect(held.verdict.queue).toMatchObject({
      holds: [expect.objectContaining({ taskId: TASK, pack: 'auth-session', kind: 'bugfix', ownerLane: 'P-platform' })],
    });
    expect(held.output).toContain(TASK);

    // The implementer cannot accept its own review; a reviewer does.
    const own = await project.packgate(
      ['review', 'submit', '--task', TASK, '--accept', '--what-failed', 'x', '--why-missed', 'y'],
      implementer,
    );
    expect(own.exitCode, own.output).toBe(1);
    const review = await project.packgate([
      'review',
      'submit',
      '--task',
      TASK,
      '--accept',
      '--actor',
      'reviewer',
      '--session',
      'reviewer-1',
      // The fix changes the IdP, which sign-in reaches: governance.yaml routes it to C-ops.
      '--lane',
      'C-ops',
      '--what-failed',
      'the demo login callback was refused by the IdP',
      '--why-missed',
      'no release-blocking check signed in against a deployment',
    ]);
    expect(review.exitCode, review.output).toBe(0);

    // After: the same gate passes (plain HTTP is allowed for this test only, and says so).
    const released = await demoGate();
    expect(released.exitCode, released.output).toBe(0);
    expect(released.verdict.verdict).toBe('PASS_WITH_WARNINGS');
    expect(released.verdict.queue).toMatchObject({ holds: [] });
  } finally {
    stack?.kill('SIGTERM');
  }
});
