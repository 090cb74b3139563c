import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

/**
 * A page being filmed into a file. `still` makes sure the film holds a frame (a screenshot of the page
 * when the browser has sent none yet); `stop` ends the film with one, closes the file and says how many
 * frames it holds (again: nothing, and the same count).
 */
export type Film = { file: string; still(): Promise<void>; stop(): Promise<number> };

/** A film that was stopped: its file and how many frames it holds. */
export type Filmed = { file: string; frames: number };

/** The films of a page and of every page its context opened after it; `stop` ends them all. */
export type Reel = { stop(): Promise<Filmed[]> };

/**
 * Films a page as Motion JPEG: the frames Chromium's screencast sends, one JPEG after another, a
 * stream players read (VLC, ffplay), written as they come. Playwright's video recording needs its
 * own ffmpeg download, which a closed network does not have; the screencast needs nothing but the
 * browser. Frames after `stop`, or after the page closed, are dropped.
 *
 * The screencast sends a frame when the page paints, and on a busy machine the first can come after a
 * short test has ended: a film stopped with no frame while its page is open ends with a screenshot of
 * the page, so a failure's film always shows where the test stopped.
 */
export async function filmPage(page: Page, file: string): Promise<Film> {
  const out = fs.openSync(file, 'w');
  let open = true;
  let frames = 0;
  const write = (jpeg: string) => {
    fs.writeSync(out, Buffer.from(jpeg, 'base64'));
    frames++;
  };
  const cdp = await page
    .context()
    .newCDPSession(page)
    .catch((error: unknown) => {
      fs.closeSync(out);
      throw error;
    });
  cdp.on('Page.screencastFrame', frame => {
    if (!open) return;
    write(frame.data);
    cdp.send('Page.screencastFrameAck', { sessionId: frame.sessionId }).catch(() => {});
  });
  await cdp.send('Page.startScreencast', { format: 'jpeg', quality: 70, everyNthFrame: 1 }).catch(() => {});
  const still = async () => {
    if (frames || page.isClosed()) return;
    const shot = await cdp.send('Page.captureScreenshot', { format: 'jpeg', quality: 70 }).catch(() => undefined);
    // A frame may have come while the screenshot was taken; then it is the first.
    if (shot && open && !frames) write(shot.data);
  };
  let stopped: Promise<number> | undefined;
  const stop = async () => {
    await still();
    open = false;
    fs.closeSync(out);
    // The page may be gone already (closed by the test, or by the person in a manual check).
    await cdp.send('Page.stopScreencast').catch(() => {});
    await cdp.detach().catch(() => {});
    return frames;
  };
  return { file, still, stop: () => (stopped ??= stop()) };
}

/**
 * Films `page` and each page its context opens from now on (a popup, a new tab), each into its own
 * file in `dir`, as Playwright's own video records every page of a context. A page that closed
 * before it could be filmed has no film.
 */
export async function filmPages(page: Page, dir: string): Promise<Reel & { first: Film }> {
  const films: Array<Promise<Film | undefined>> = [];
  const film = (p: Page) => filmPage(p, path.join(dir, `page-${films.length + 1}.mjpeg`));
  const first = await film(page);
  films.push(Promise.resolve(first));
  const onPage = (p: Page) => films.push(film(p).catch(() => undefined));
  page.context().on('page', onPage);
  return {
    first,
    async stop() {
      page.context().off('page', onPage);
      const all = (await Promise.all(films)).filter(f => f !== undefined);
      return Promise.all(all.map(async f => ({ file: f.file, frames: await f.stop() })));
    },
  };
}
