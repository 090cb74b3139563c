import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/respond.ts';
import type { StackStats } from '../stats.ts';

export type StackControlOptions = {
  readyPath: string;
  fingerprint: string;
  faults: string[];
  stats: StackStats;
  /** False until both servers listen, so "ready" never means "app up, IdP not yet". */
  isReady: () => boolean;
};

export const STATS_PATH = '/__stack/stats';

/**
 * The endpoints the framework uses to manage the stack. The ready URL answers 200 only for this
 * stack's own fingerprint and 404 otherwise: Playwright's webServer reads 404 as "not there", so a
 * run never reuses a stack started with other faults, secrets or URLs.
 * Returns false when the request is not for a control endpoint.
 */
export function createStackControl({ readyPath, fingerprint, faults, stats, isReady }: StackControlOptions) {
  return function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (url.pathname === readyPath) {
      const wanted = url.searchParams.get('fingerprint');
      if (!isReady()) sendJson(res, 503, { ready: false, reason: 'the stack is starting' });
      else if (wanted !== null && wanted !== fingerprint)
        sendJson(res, 404, {
          ready: false,
          reason: `this stack's fingerprint is ${fingerprint}, not ${wanted}: it runs with other faults, secrets or URLs`,
        });
      else sendJson(res, 200, { ready: true, fingerprint, faults });
      return true;
    }
    if (url.pathname === STATS_PATH) {
      sendJson(res, 200, stats.snapshot());
      return true;
    }
    return false;
  };
}
