import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/respond.ts';
import type { StackStats } from '../stats.ts';
import type { AccessLog } from './access-log.ts';
import type { RolloutStatus } from '../parity/app-replicas.ts';

export type StackControlOptions = {
  readyPath: string;
  fingerprint: string;
  faults: string[];
  stats: StackStats;
  accessLog: AccessLog;
  /** False until every server listens, so "ready" never means "proxy up, IdP not yet". */
  isReady: () => boolean;
  /** The app's rolling restart, where the stack has replicas (deployment shape). */
  rollout?: { status(): RolloutStatus; restart(): Promise<RolloutStatus> };
};

export const STATS_PATH = '/__stack/stats';
export const ACCESS_LOG_PATH = '/__stack/access-log';
/** GET: the app's replicas and their readiness history; POST: a rolling restart, answered when done. */
export const ROLLOUT_PATH = '/__stack/rollout';

/**
 * The endpoints the framework uses to manage the stack, answered by the proxy on the app host. The
 * ready URL answers 200 only for this stack's own fingerprint and 404 otherwise: Playwright's
 * webServer reads 404 as "not there", so a run never reuses a stack started with other faults,
 * secrets or URLs. Returns false when the path is not a control endpoint.
 */
export function createStackControl(options: StackControlOptions) {
  const { readyPath, fingerprint, faults, stats, accessLog, isReady, rollout } = options;
  return function handleControl(res: ServerResponse, url: URL, method = 'GET'): boolean {
    if (rollout && url.pathname === ROLLOUT_PATH) {
      if (method === 'GET') sendJson(res, 200, rollout.status());
      else if (method !== 'POST') sendJson(res, 405, { error: 'method_not_allowed', message: 'GET or POST' });
      else
        rollout.restart().then(
          status => sendJson(res, 200, status),
          error => sendJson(res, 500, { error: 'rollout_failed', message: (error as Error).message }),
        );
      return true;
    }
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
    if (url.pathname === ACCESS_LOG_PATH) {
      answerAccessLog(res, url.searchParams, accessLog);
      return true;
    }
    return false;
  };
}

function answerAccessLog(res: ServerResponse, params: URLSearchParams, accessLog: AccessLog): void {
  const limit = params.get('limit');
  if (limit !== null && !/^[1-9][0-9]{0,5}$/.test(limit))
    return sendJson(res, 400, {
      error: 'bad_request',
      message: `limit must be a positive whole number, got "${limit}"`,
    });
  const lines = accessLog.query({
    correlationId: params.get('correlation_id') ?? undefined,
    traceId: params.get('trace_id') ?? undefined,
    route: params.get('route') ?? undefined,
    limit: limit === null ? undefined : Number(limit),
  });
  sendJson(res, 200, { lines });
}
