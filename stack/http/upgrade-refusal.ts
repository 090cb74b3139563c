import http from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers a websocket upgrade request with a plain HTTP error and closes the connection: what a
 * refused upgrade looks like on the wire (never 101). Header values must be plain tokens; callers
 * pass only ids and fixed names.
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  if (!socket.writable) return void socket.destroy();
  const json = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    'Cache-Control: no-store',
    `Content-Length: ${Buffer.byteLength(json)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${json}`);
}
