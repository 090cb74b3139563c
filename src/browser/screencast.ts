import fs from 'node:fs';
import type { Page } from '@playwright/test';

/** A page being filmed into a file; `stop` ends it and closes the file (again: nothing). */
export type Film = { file: string; stop(): Promise<void> };

/**
 * Films a page as Motion JPEG: the frames Chromium's screencast sends, one JPEG after another, a
 * stream players read (VLC, ffplay), written as they come. Playwright's video recording needs its
 * own ffmpeg download, which a closed network does not have; the screencast needs nothing but the
 * browser. Frames after `stop`, or after the page closed, are dropped.
 */
export async function filmPage(page: Page, file: string): Promise<Film> {
  const out = fs.openSync(file, 'w');
  let open = true;
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Page.screencastFrame', frame => {
    if (!open) return;
    fs.writeSync(out, Buffer.from(frame.data, 'base64'));
    cdp.send('Page.screencastFrameAck', { sessionId: frame.sessionId }).catch(() => {});
  });
  await cdp.send('Page.startScreencast', { format: 'jpeg', quality: 70, everyNthFrame: 1 });
  return {
    file,
    async stop() {
      if (!open) return;
      open = false;
      fs.closeSync(out);
      // The page may be gone already (closed by the test, or by the person in a manual check).
      await cdp.send('Page.stopScreencast').catch(() => {});
      await cdp.detach().catch(() => {});
    },
  };
}
