import type http from 'node:http';
import type { ChangeStamp } from '../store/dashboard-reads.ts';
import type { QueueStore } from '../store/queue-store.ts';

/**
 * Server-sent events at /api/events: `ready` with the store's change stamp when a page connects,
 * `changed` with the new one whenever it moves. One poller for every open page (a read of a few
 * MAX(id)s every pollMs), running only while a page listens. A page compares each stamp with the
 * one it was rendered with (dashboard.js): a write made before it connected still reloads it, and a
 * heartbeat reloads only a page that shows heartbeats.
 */
export class ChangeFeed {
  private readonly clients = new Set<http.ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private last: ChangeStamp | undefined;

  constructor(
    private readonly store: QueueStore,
    private readonly pollMs: number,
  ) {}

  async subscribe(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    if (req.method === 'HEAD') return void res.end();
    this.last ??= await this.store.dashboard.changeStamp();
    res.write(`event: ready\ndata: ${JSON.stringify(this.last)}\n\n`);
    this.clients.add(res);
    req.on('close', () => {
      this.clients.delete(res);
      if (!this.clients.size) this.stop();
    });
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
      stamp = await this.store.dashboard.changeStamp();
    } catch {
      return; // A store that cannot be read now may be readable at the next poll; pages keep what they show.
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
