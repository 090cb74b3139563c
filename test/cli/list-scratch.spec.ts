import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A listing loads the config, so it writes a run plan, but it loads no gate reporter, which is what
 * removed the plan's folder at the end of a run: every `npm run check` (its `packgate tests` lists)
 * left ~43 KB under .packgate/runs for the 24-hour prune.
 */
test('a listing leaves no run scratch folder behind: `playwright test --list`, and `packgate tests`', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const runsDir = path.join(project.dir, '.packgate/runs');
  const listed = await project.playwright(['--list', '--project=local-api']);
  expect(listed.exitCode, listed.output).toBe(0);
  expect(listed.stdout).toMatch(/Total: \d+ tests in \d+ files/);
  expect(fs.existsSync(runsDir), 'the listing wrote its plan there').toBe(true);
  expect(fs.readdirSync(runsDir)).toEqual([]);

  const tests = await project.packgate(['tests']);
  expect(tests.exitCode, tests.output).toBe(0);
  expect(fs.readdirSync(runsDir)).toEqual([]);
});
