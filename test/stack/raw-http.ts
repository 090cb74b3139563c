import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';

/**
 * HTTP below Playwright's request API, for what it does not let a test control or see: an arbitrary
 * Host header, and a websocket upgrade's own answer (101 or the refusal's status, and its headers).
 */

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

export function rawRequest(
  url: string,
  options: { host?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: { ...(options.host ? { host: options.host } : {}), ...options.headers },
        agent: false,
      },
      res => {
        let body = '';
        res.setEncoding('utf8').on('data', chunk => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends a request and hangs up part-way, as a closed tab or a cancelled fetch does, with a reset
 * (the rudest way): with `partialBody`, once that much of a body announced 1000 bytes longer has
 * gone out and the server had time to start reading it (mid-request); without, as soon as the
 * answer's headers arrive (mid-response). Resolves once the connection is gone.
 */
export function hangUp(
  url: string,
  options: { method?: string; headers?: Record<string, string>; partialBody?: string } = {},
): Promise<void> {
  const target = new URL(url);
  const { partialBody } = options;
  return new Promise(resolve => {
    const req = http.request({
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      method: options.method ?? 'GET',
      headers: {
        ...options.headers,
        ...(partialBody === undefined ? {} : { 'content-length': String(Buffer.byteLength(partialBody) + 1000) }),
      },
      agent: false,
    });
    const reset = () => (req.socket as net.Socket | null)?.resetAndDestroy();
    req.on('error', () => {});
    req.on('close', () => resolve());
    req.on('response', reset);
    if (partialBody === undefined) req.end();
    else req.write(partialBody, () => setTimeout(reset, 100));
  });
}

/** The RFC 6455 handshake's GUID: Sec-WebSocket-Accept is base64(sha1(key + GUID)). */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function expectedAccept(key: string): string {
  return crypto
    .createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
}

export type UpgradeAnswer = RawResponse & {
  /** The key sent, to check Sec-WebSocket-Accept against. */
  key: string;
};

/**
 * Sends a websocket upgrade request and reports how it was answered, without speaking websocket:
 * a 101 (the socket is then closed) or the refusal's status and body.
 */
export function upgradeRequest(
  url: string,
  options: { origin?: string; cookie?: string; host?: string; headers?: Record<string, string> } = {},
): Promise<UpgradeAnswer> {
  const target = new URL(url);
  const key = crypto.randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': key,
        ...(options.host ? { host: options.host } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...options.headers,
      },
      agent: false,
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', key });
    });
    req.on('response', res => {
      let body = '';
      res.setEncoding('utf8').on('data', chunk => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, key }));
    });
    req.on('error', reject);
    req.end();
  });
}
