import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { inlinePack } from '../helpers/inline-pack.ts';
import { TempProject } from '../helpers/temp-project.ts';

test('a request context from newRequestContext is disposed when its test fails before it could dispose it', async ({}, testInfo) => {
  const files = inlinePack({ id: 'leaky', policy: { dev: 'blocking' }, layer: 'api', body: '' });
  files['packs/leaky/api.spec.ts'] = `import fs from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '../../fixtures/index.ts';

let opened: APIRequestContext | undefined;

test('leaky journey', async ({ newRequestContext }) => {
  opened = await newRequestContext();
  expect(1, 'fails before the spec could dispose it').toBe(2);
});

// Runs after the failed test's fixtures were torn down: a disposed context refuses to be used.
test.afterAll(async () => {
  const state = await opened!.storageState().then(
    () => 'still open',
    (error: Error) => error.message,
  );
  fs.writeFileSync(process.env.LEAK_MARKER!, state);
});
`;
  const project = await TempProject.create(testInfo, files);
  const marker = testInfo.outputPath('marker.txt');
  // No test here talks to the stack: none is started.
  const result = await project.playwright(['--project=local-api', 'packs/leaky/'], {
    PACKGATE_STACK: 'never',
    LEAK_MARKER: marker,
  });
  expect(result.exitCode, result.output).toBe(1);
  expect(result.output).toContain('fails before the spec could dispose it');
  expect(fs.readFileSync(marker, 'utf8')).toMatch(/has been closed/);
});
