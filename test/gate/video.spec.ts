import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/** How many JPEG frames a Motion JPEG file holds. */
function frames(bytes: Buffer): number {
  return bytes.toString('latin1').split('\xff\xd8\xff').length - 1;
}

test('a pack that asks for video: each failing attempt keeps a film of each page, however early it failed, a pass nothing, no ffmpeg', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/auth-session/browser.spec.ts': `import { expect, test } from '../../fixtures/index.ts';
test('passes in the shell', async ({ page, pack }) => {
  await page.goto(pack.url('shell'));
  await expect(page).toHaveURL(pack.url('shell'));
});
test('fails after the shell loaded', async ({ page, pack }) => {
  await page.goto(pack.url('shell'));
  expect(1, 'made to fail after the shell loaded').toBe(2);
});
test('fails before the page painted', async ({ page }) => {
  expect(page.url()).toBe('painted');
});
test('fails with a second page open', async ({ page, pack }) => {
  await page.goto(pack.url('shell'));
  const second = await page.context().newPage();
  await second.goto(pack.url('shell'));
  expect(page.context().pages(), 'made to fail with a second page open').toHaveLength(1);
});
`,
  });
  project.edit('packs/auth-session/pack.yaml', text =>
    text.replace(/^artifacts: \[(.*)\]$/m, 'artifacts: [$1, video]'),
  );
  project.edit('packs/auth-session/tests.yaml', text =>
    text.replace(
      '- a user signs in through the IdP and lands in the shell with their identity',
      [
        'passes in the shell',
        'fails after the shell loaded',
        'fails before the page painted',
        'fails with a second page open',
      ].join('\n  - '),
    ),
  );
  const result = await project.playwright(['--project=local-browser', 'packs/auth-session/']);
  expect(result.exitCode, result.output).toBe(1);
  const pack = project.verdict().packs.find(p => p.id === 'auth-session')!;
  expect(pack).toMatchObject({ status: 'FAIL', tests: { total: 4, passed: 1, failed: 3 } });
  // The video the pack requires is there for the failure: nothing is missing from its evidence.
  expect(pack.evidence.missingArtifacts).toEqual([]);
  // A film of each page of each attempt of each failure (local retries once), the one that failed
  // before the browser sent a frame included; a page opened in the test has its own (video-2).
  const videos = pack.evidence.files.filter(f => f.endsWith('.mjpeg')).sort();
  const film = (f: string) =>
    `${path.basename(path.dirname(f))}/${path.basename(f).replace(/-[0-9a-f]{40}\.mjpeg$/, '')}`;
  expect(videos.map(film).sort()).toEqual([
    'fails-after-the-shell-loaded/attempt-1-video',
    'fails-after-the-shell-loaded/attempt-2-video',
    'fails-before-the-page-painted/attempt-1-video',
    'fails-before-the-page-painted/attempt-2-video',
    'fails-with-a-second-page-open/attempt-1-video',
    'fails-with-a-second-page-open/attempt-1-video-2',
    'fails-with-a-second-page-open/attempt-2-video',
    'fails-with-a-second-page-open/attempt-2-video-2',
  ]);
  for (const video of videos) {
    // Motion JPEG from the browser's screencast: JPEG frames one after another, the first at the start.
    const bytes = fs.readFileSync(path.join(project.dir, 'gate-results', video));
    expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(frames(bytes)).toBeGreaterThan(0);
  }
  // A passing test keeps no film, in the evidence or in Playwright's own output.
  const everywhere = fs.readdirSync(path.join(project.dir, 'test-results'), { recursive: true }).map(String);
  expect(everywhere.filter(f => f.endsWith('.mjpeg') && f.includes('passes-in-the-shell'))).toEqual([]);
});
