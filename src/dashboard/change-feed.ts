import type http from 'node:http';
import type { ChangeStamp } from '../store/dashboard-reads.ts';
import type { QueueStore } from '../store/queue-store.ts';

/**
 * The store's change stamp, for the pages and for `/api/events`. A page asks `/api/change-stamp`
 * every pollMs while it is shown and compares the answer with the stamp it was rendered with
 * (dashboard.js): it holds no connection open, where an event stream per page took one of the six a
 * browser opens to a host, and a seventh tab never loaded. Any number of pages cost the store about
 * two reads a poll: a stamp read less than half a poll ago is answered again, and never one older
 * than a page rendered since, since each page's stamp is read here too (`fresh`).
 *
 * `/api/events` streams the same stamps as server-sent events, for other clients: `ready` with the
 * stamp on connecting, `changed` with the new one whenever it moves, one poller for every listener,
 * running only while one listens.
 */
export class ChangeFeed {
  private readonly clients = new Set<http.ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private last: ChangeStamp | undefined;
  /** The newest stamp read, when its read began, and its place among the reads begun. */
  private latest: { stamp: ChangeStamp; at: number; order: number } | undefined;
  private begun = 0;

  constructor(
    private readonly store: QueueStore,
    private readonly pollMs: number,
  ) {}

  /** The stamp read now, kept as the newest unless a read begun after it finished first. */
  async fresh(): Promise<ChangeStamp> {
    const order = ++this.begun;
    const at = Date.now();
    const stamp = await this.store.dashboard.changeStamp();
    if (!this.latest || order > this.latest.order) this.latest = { stamp, at, order };
    return stamp;
  }

  /** A page's question: the newest stamp when it was read less than half a poll ago, else one read now. */
  current(): Promise<ChangeStamp> {
    const latest = this.latest;
    return latest && Date.now() - latest.at < this.pollMs / 2 ? Promise.resolve(latest.stamp) : this.fresh();
  }

  async subscribe(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    if (req.method === 'HEAD') return void res.end();
    // Listened for before the first read: a client gone while it is read is never kept, nor the poller for it.
    let gone = false;
    res.on('close', () => {
      gone = true;
      this.clients.delete(res);
      if (!this.clients.size) this.stop();
    });
    const stamp = await this.fresh();
    if (gone) return;
    this.last ??= stamp;
    res.write(`event: ready\ndata: ${JSON.stringify(stamp)}\n\n`);
    this.clients.add(res);
    this.timer ??= setInterval(() => void this.poll(), this.pollMs);
  }

  close(): void {
    this.stop();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private async poll(): Promise<void> {
    let stamp: ChangeStamp;
    try {
      stamp = await this.fresh();
    } catch {
      return; // A store that cannot be read now may be readable at the next poll; listeners keep what they have.
    }
    if (stamp.data === this.last?.data && stamp.heartbeats === this.last.heartbeats) return;
    this.last = stamp;
    for (const res of this.clients) res.write(`event: changed\ndata: ${JSON.stringify(stamp)}\n\n`);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.last = undefined;
  }
}
