import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { gateRunSinks } from '../../reporters/gate-run-sinks.ts';
import { handToSinks, type FinishedGateRun, type GateRunSink } from '../../src/gate/sink.ts';
import { projectSchema } from '../../src/schema/project.ts';

const bare = projectSchema.parse({ name: 'demo' });
const withStore = projectSchema.parse({ name: 'demo', store: { path: '.packgate/queue.db' } });
const names = (sinks: GateRunSink[]) => sinks.map(s => s.name);

test('no store configured, no sink: the gate records nowhere', ({}, testInfo) => {
  expect(gateRunSinks(testInfo.outputPath('project'), bare, {})).toEqual([]);
});

test('the queue store is a sink when packgate.yaml has store:, its URL env var is set, or in a task worktree', ({}, testInfo) => {
  const root = testInfo.outputPath('project');
  expect(names(gateRunSinks(root, withStore, {}))).toEqual(['queue store']);
  expect(names(gateRunSinks(root, bare, { PACKGATE_STORE_URL: 'postgresql://agent@/queue' }))).toEqual(['queue store']);
  fs.mkdirSync(`${root}/.packgate`, { recursive: true });
  fs.writeFileSync(`${root}/.packgate/task.json`, '{}');
  expect(names(gateRunSinks(root, bare, {}))).toEqual(['queue store']);
});

test("a sink's problem goes to the verdict; one that throws all the same is a warning, never the gate's failure", async () => {
  const run = { root: '/r', outputDir: '/r/gate-results', verdict: {} } as FinishedGateRun;
  const problems = await handToSinks(
    [
      { name: 'ok', record: async () => undefined },
      { name: 'full', record: async () => ({ severity: 'warning', message: 'full: not recorded' }) },
      {
        name: 'broken',
        record: async () => {
          throw new Error('cannot load the driver');
        },
      },
    ],
    run,
  );
  expect(problems).toEqual([
    { severity: 'warning', message: 'full: not recorded' },
    { severity: 'warning', message: 'broken: this run was not recorded: cannot load the driver' },
  ]);
});
