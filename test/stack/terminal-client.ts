import WebSocket from 'ws';

export type TerminalMessage = { type: string; [field: string]: unknown };

/**
 * A websocket client for the terminal protocol, for tests: opens through the proxy with a session
 * cookie and an Origin, and hands out the server's messages in order.
 */
export class TerminalClient {
  readonly #queue: TerminalMessage[] = [];
  readonly #waiting: Array<(message: TerminalMessage) => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', data => {
      const message = JSON.parse(String(data)) as TerminalMessage;
      const waiter = this.#waiting.shift();
      if (waiter) waiter(message);
      else this.#queue.push(message);
    });
  }

  /** Resolves once the upgrade succeeded; rejects with the HTTP status when it was refused. */
  static open(url: string, options: { cookie?: string; origin?: string }): Promise<TerminalClient> {
    const socket = new WebSocket(url, {
      headers: options.cookie ? { cookie: `gpuaas_session=${options.cookie}` } : {},
      ...(options.origin ? { origin: options.origin } : {}),
    });
    const client = new TerminalClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => {
        reject(new Error(`refused with HTTP ${res.statusCode}`));
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  /** The next message from the server, waiting up to `timeoutMs` for it. */
  next(timeoutMs = 5000): Promise<TerminalMessage> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no terminal message within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.push(message => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }

  /** Sends a command line and returns the output it printed. */
  async run(line: string): Promise<TerminalMessage> {
    this.socket.send(JSON.stringify({ type: 'input', data: line }));
    return this.next();
  }

  close(): void {
    this.socket.close();
  }
}
