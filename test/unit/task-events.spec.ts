import { expect, test } from '@playwright/test';
import { eventLines } from '../../scripts/commands/task-events.ts';
import type { Checkpoint } from '../../src/store/checkpoint-schema.ts';
import { taskEventKinds, type TaskEvent, type TaskEventKind } from '../../src/store/queue-schema.ts';

const AT = '2026-01-02T03:04:05.000Z';
const SHA = (c: string) => c.repeat(40);
const regression = { pack: 'auth-session', spec: 'callback.spec.ts', title: 'the callback is accepted' };
const proofRun = (commit: string) => ({
  commit,
  verdict: 'passed',
  regressionPassed: true,
  othersFailed: [],
  exitCode: 0,
  verdictDigest: null,
  outputDigest: SHA('e'),
  gateRun: null,
});

/** Each kind's body as the loop writes it, and the line `task show` prints for it. */
const WRITTEN: Record<TaskEventKind, Array<[Record<string, unknown>, string]>> = {
  claim: [
    [
      { session: 's-1', worktree: '/p/.packgate/worktrees/T-1', branch: 'task/T-1', base: SHA('a') },
      'session s-1, branch task/T-1 from aaaaaaaaaaaa',
    ],
    [{ session: 's-1', worktree: null, branch: null, base: null }, 'session s-1, no worktree'],
  ],
  release: [[{ session: 's-1', to: 'ready', reason: 'stale' }, "session s-1's hold ended, -> ready: stale"]],
  packet: [
    [{ digest: SHA('b'), previous: SHA('a') }, 'packet bbbbbbbbbbbb in place of aaaaaaaaaaaa'],
    [{ digest: SHA('b'), previous: null }, 'packet bbbbbbbbbbbb, its first'],
  ],
  drift: [
    [
      {
        command: 'packgate drift --task T-1',
        base: SHA('a'),
        head: SHA('c'),
        clean: false,
        changes: [
          { path: 'packs/a/notes.md', status: 'added', rule: 1, kind: 'owned', why: 'owned (packs/**)' },
          { path: 'src/x.ts', status: 'modified', rule: 2, kind: 'must-not-touch', why: 'must_not_touch (src/**)' },
          { path: 'NOTES.md', status: 'added', rule: 3, kind: 'not-needed', why: 'outside ownership' },
        ],
      },
      '2 of 3 changes outside the packet (aaaaaaaaaaaa..cccccccccccc): src/x.ts (rule 2, must-not-touch), NOTES.md (rule 3, not-needed)',
    ],
    [
      { command: 'packgate drift', base: SHA('a'), head: null, clean: true, changes: [] },
      'clean: 0 changes, all inside the packet (aaaaaaaaaaaa..the work tree)',
    ],
  ],
  escalation: [
    [
      { escalation: 1, files: [{ path: 'src/x.ts', kind: 'must-not-touch', boundary: 'must_not_touch src/**' }] },
      '#1 (drift): src/x.ts crossed must_not_touch src/**',
    ],
    [
      { escalation: 2, source: 'watch', reason: 'watcher W-1: class auth 3 times in a row', to: 'C-ops' },
      '#2 (watch) to C-ops: watcher W-1: class auth 3 times in a row',
    ],
  ],
  'follow-up': [[{ task: 'T-1-FU-0a1b2c3d', path: 'NOTES.md' }, 'proposed T-1-FU-0a1b2c3d for the change to NOTES.md']],
  proof: [
    [{ item: 2, run: 7 }, 'acceptance item 2 proven by gate run #7'],
    [
      { item: 1, note: 'the plan', file: 'packs/a/plan.md', digest: SHA('d'), size: 12 },
      'acceptance item 1 proven by packs/a/plan.md (sha256 dddddddddddd): the plan',
    ],
  ],
  handoff: [
    [
      { digest: SHA('f'), base: SHA('a'), head: SHA('c') },
      'recorded (sha256 ffffffffffff), aaaaaaaaaaaa..cccccccccccc',
    ],
  ],
  note: [
    [{ dependsOn: 'T-0' }, 'now depends on T-0'],
    [{ legacy: 'imported from the old tracker' }, 'marked legacy debt: imported from the old tracker'],
    [{ legacy: null }, 'marked new debt'],
  ],
  override: [
    [
      { check: 'dependencies done', open: [{ task: 'T-0', state: 'ready' }], reason: 'only a rename' },
      '"dependencies done" set aside, open: T-0 ready: only a rename',
    ],
    [
      { check: 'accepted review', from: 'in_review', to: 'done', reason: 'the reviewer left' },
      '"accepted review" set aside (in_review -> done): the reviewer left',
    ],
  ],
  'fix-record': [
    [
      { record: { task_id: 'BUG-1', regression }, fixCommit: SHA('c'), baseCommit: SHA('a'), coverageTask: null },
      'fix cccccccccccc on base aaaaaaaaaaaa; regression auth-session › callback.spec.ts › "the callback is accepted"',
    ],
    [
      { record: { task_id: 'BUG-1' }, fixCommit: SHA('c'), baseCommit: SHA('a'), coverageTask: 'BUG-1-COVERAGE' },
      'fix cccccccccccc on base aaaaaaaaaaaa; no regression; coverage task BUG-1-COVERAGE',
    ],
  ],
  'regression-proof': [
    [
      {
        regression,
        layer: 'api',
        mode: 'repository',
        fixRecordEvent: 4,
        before: { ...proofRun(SHA('a')), regressionPassed: false },
        after: proofRun(SHA('c')),
      },
      'auth-session › callback.spec.ts › "the callback is accepted" red at aaaaaaaaaaaa, green at cccccccccccc (repository)',
    ],
  ],
  review: [
    [
      {
        decision: 'accepted',
        reviewer: { actor: 'rev', session: null, lane: 'C-ops' },
        answers: { what_failed: { answer: 'nothing', source: 'reviewer' } },
      },
      'accepted by rev for C-ops',
    ],
    [
      {
        decision: 'changes-requested',
        reviewer: { actor: 'rev', session: null, lane: null },
        answers: { what_failed: { answer: 'the logout half is missing', source: 'reviewer' } },
      },
      'changes requested by rev: the logout half is missing',
    ],
  ],
  'release-hold': [
    [
      { hold: 3, action: 'opened', pack: 'auth-session', reason: 'open bug fix' },
      '#3 opened on auth-session: open bug fix',
    ],
    [
      { action: 'coverage-accepted', holds: [3], reason: 'review #9 accepted' },
      'coverage accepted, cleared #3: review #9 accepted',
    ],
    [
      { action: 'risk-accepted', holds: [3, 4], reason: 'known', expiresAt: '2026-02-01T00:00:00.000Z' },
      'risk accepted until 2026-02-01T00:00:00.000Z, cleared #3, #4: known',
    ],
  ],
  watch: [
    [
      { phase: 'started', run: 'W-1-20260102T030405-a1b2c3', packet: 'W-1', session: 's-2' },
      'run W-1-20260102T030405-a1b2c3 started (watcher W-1, session s-2)',
    ],
    [
      { phase: 'closed', run: 'W-1-20260102T030405-a1b2c3', closeout: 5, status: 'failure', class: 'auth' },
      'run W-1-20260102T030405-a1b2c3 closed out #5: failure (auth)',
    ],
    [
      {
        phase: 'failed',
        run: 'W-1-20260102T030405-a1b2c3',
        session: 's-2',
        error: 'watcher W-1 did not run its command',
      },
      'run W-1-20260102T030405-a1b2c3 failed before its closeout: watcher W-1 did not run its command',
    ],
  ],
  checkpoint: [[{ checkpoint: 99, decision: 'park' }, 'park (no checkpoint record in this store)']],
};

const event = (kind: string, body: Record<string, unknown>, id = 1): TaskEvent =>
  ({ id, taskId: 'T-1', kind, actor: 'tester', at: AT, body }) as TaskEvent;

// Before: every kind but checkpoint was `<kind> by <actor>: {"session":"s-1",...}`, the stored JSON.
test('task show words every kind of event the store records, from the body the loop writes', () => {
  expect(Object.keys(WRITTEN).sort()).toEqual([...taskEventKinds].sort());
  for (const kind of taskEventKinds)
    for (const [body, words] of WRITTEN[kind])
      expect(eventLines([event(kind, body)], []), kind).toEqual(['events:', `  ${AT}  ${kind} by tester: ${words}`]);
});

test("a checkpoint event is named by the task's own count; a body of no known shape is shown field by field", () => {
  const checkpoint = { id: 12, number: 2, decision: 'escalate', goalChanged: true } as Checkpoint;
  expect(
    eventLines(
      [
        event('checkpoint', { checkpoint: 12, decision: 'escalate', goalChanged: true }, 1),
        // An imported backlog's handoff, a note of another shape, a kind this packgate does not know.
        event('handoff', { files: [], at: '2019-01-02' }, 2),
        event('note', { text: 'see the wiki', tags: ['a', 'b'], links: { wiki: 'x' } }, 3),
        event('triage', {}, 4),
      ],
      [checkpoint],
    ),
  ).toEqual([
    'events:',
    `  ${AT}  checkpoint #2 by tester: escalate (GOAL CHANGED)`,
    `  ${AT}  handoff by tester: files: none; at: 2019-01-02`,
    `  ${AT}  note by tester: text: see the wiki; tags: a, b; links: {"wiki":"x"}`,
    `  ${AT}  triage by tester: (nothing recorded)`,
  ]);
  expect(eventLines([], [])).toEqual([]);
});
