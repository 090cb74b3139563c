import type http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { FAULTS, type FaultSet } from '../fault-ids.ts';
import { correlationIdFor, pathOnly } from '../http/correlation.ts';
import { decodeSegment } from '../http/paths.ts';
import { logRequest } from '../http/request-log.ts';
import { sendJson } from '../http/respond.ts';
import { createService } from '../http/service.ts';
import { refuseUpgrade } from '../http/upgrade-refusal.ts';
import type { Platform } from '../model/platform.ts';
import type { Allocation } from '../model/records.ts';
import type { Sessions } from '../model/sessions.ts';
import { runCommand } from './shell.ts';

export type TerminalServiceOptions = {
  platform: Platform;
  sessions: Sessions;
  faults: FaultSet;
  /** The only Origin a browser may open a terminal from: the app's. */
  appOrigin: string;
  correlationHeader: string;
};

export type TerminalService = { server: http.Server; close(): void };

type Refusal = { status: 401 | 403 | 404 | 409; error: string; message: string };

/**
 * The terminal service: websockets at `/<allocation>/ws` (the proxy serves them under /terminals/).
 * Every check happens on the upgrade request, before any 101, and a refusal is a plain HTTP answer:
 * a refused browser never gets a socket to send keystrokes into.
 */
export function createTerminalService(options: TerminalServiceOptions): TerminalService {
  const { platform, sessions, faults, correlationHeader } = options;
  // ws loads with the first terminal, not with the stack: a gate's first terminal comes late in it.
  let wss: Promise<WebSocketServer> | undefined;
  const websockets = () =>
    (wss ??= import('ws').then(({ WebSocketServer }) => {
      const created = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
      created.on('headers', headers => headers.push('x-served-by: terminal'));
      return created;
    }));

  const server = createService({ name: 'terminal', correlationHeader }, (req, res) =>
    sendJson(res, 404, {
      error: 'not_found',
      message: 'the terminal service speaks websocket only, at /<allocation>/ws',
    }),
  );

  /**
   * The checks, in the contract's order:
   * 1. a session (401), 2. the app's Origin (403), 3. a known allocation (404),
   * 4. the session user's allocation (403), 5. an active one (409).
   */
  function refusalFor(req: IncomingMessage, allocationId: string): Refusal | Allocation {
    const signedIn = sessions.fromRequest(req);
    if (!signedIn && !faults.has(FAULTS.terminalNoSessionCheck))
      return { status: 401, error: 'unauthenticated', message: 'sign in to open a terminal' };
    if (req.headers.origin !== options.appOrigin && !faults.has(FAULTS.terminalOriginUnchecked))
      return {
        status: 403,
        error: 'forbidden_origin',
        message: `terminals open only from ${options.appOrigin}`,
      };
    const allocation = platform.allocation(allocationId);
    if (!allocation) return { status: 404, error: 'not_found', message: `there is no allocation "${allocationId}"` };
    if (signedIn && allocation.user !== signedIn.user.id)
      return { status: 403, error: 'forbidden', message: 'this allocation is not yours' };
    if (allocation.state !== 'active' && !faults.has(FAULTS.terminalEndedAllocationOpen))
      return { status: 409, error: 'not_active', message: `allocation "${allocation.id}" is ${allocation.state}` };
    return allocation;
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const started = performance.now();
    const path = pathOnly(req.url);
    const correlationId = correlationIdFor(req, correlationHeader);
    const log = (status: number, detail?: string) =>
      logRequest({
        service: 'terminal',
        method: req.method ?? 'GET',
        path,
        status,
        correlationId,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(detail ? { detail } : {}),
      });
    const answerHeaders = { 'x-served-by': 'terminal', [correlationHeader]: correlationId };

    const match = /^\/([^/]+)\/ws$/.exec(path);
    const checked: Refusal | Allocation = match
      ? refusalFor(req, decodeSegment(match[1]))
      : { status: 404, error: 'not_found', message: 'terminals are at /<allocation>/ws' };
    if ('status' in checked) {
      refuseUpgrade(socket, checked.status, { error: checked.error, message: checked.message }, answerHeaders);
      return log(checked.status, checked.error);
    }
    void websockets().then(upgrades =>
      upgrades.handleUpgrade(req, socket, head, ws => {
        log(101);
        serveTerminal(ws, checked);
      }),
    );
  });

  return {
    server,
    close() {
      void wss?.then(upgrades => {
        for (const client of upgrades.clients) client.terminate();
        upgrades.close();
      });
    },
  };
}

/** The protocol after the upgrade: `ready` once, then one `output` per `input` line. */
function serveTerminal(ws: WebSocket, allocation: Allocation): void {
  const host = { allocation: allocation.id, node: allocation.node, gpus: allocation.gpus };
  // A client that breaks the protocol (a bad frame, a message over maxPayload): ws closes the
  // connection itself (1002, 1009); unheard, the error would take the whole stack down.
  ws.on('error', () => {});
  ws.send(JSON.stringify({ type: 'ready', allocation: allocation.id, node: allocation.node }));
  ws.on('message', (data, isBinary) => {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      message = undefined;
    }
    const input = message as { type?: unknown; data?: unknown } | undefined;
    if (input?.type !== 'input' || typeof input.data !== 'string')
      return ws.send(
        JSON.stringify({ type: 'error', message: 'expected a text message {"type":"input","data":"<command line>"}' }),
      );
    ws.send(JSON.stringify({ type: 'output', data: runCommand(input.data, host) }));
  });
}
