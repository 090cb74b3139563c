import type { KeyObject } from 'node:crypto';
import { judgeQueueHealth, type HealthSettings } from '../coordinator/queue-health.ts';
import type { ChangeStamp } from '../store/dashboard-reads.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { noQuerySchema, runQuerySchema, taskQuerySchema, trendQuerySchema } from './api-schemas.ts';
import { runDetail, taskDetail } from './data.ts';
import { HttpError, parseQuery, parseRunId } from './http-kit.ts';
import { openApiDocument } from './openapi.ts';
import { taskIdSegment } from './request-target.ts';

export type ApiContext = {
  store: QueueStore;
  url: URL;
  publicKey?: KeyObject;
  /** governance.yaml's `queue:` settings, as `packgate queue health` judges with them. */
  healthSettings: HealthSettings;
  /** The store's change stamp now, as the change feed answers a page's poll. */
  changeStamp(): Promise<ChangeStamp>;
};

/**
 * The JSON API: `/api/<what>[/<id>]`. Each answer is the same data the pages render; the queries are
 * checked against the schemas the OpenAPI document is made of. Undefined when the path is not the API's.
 */
export async function apiAnswer(ctx: ApiContext, segments: string[]): Promise<unknown> {
  const { store, url } = ctx;
  const [what, id, ...more] = segments;
  if (more.length) throw new HttpError(404, `no API endpoint ${url.pathname}`);
  switch (id === undefined ? what : `${what}/:id`) {
    case 'openapi.json':
      parseQuery(url, noQuerySchema);
      return openApiDocument();
    case 'tasks':
      return store.dashboard.tasks(parseQuery(url, taskQuerySchema));
    case 'tasks/:id':
      parseQuery(url, noQuerySchema);
      return taskDetail(store, taskIdSegment(id));
    case 'sessions':
      parseQuery(url, noQuerySchema);
      return { sessions: await store.sessions() };
    case 'runs': {
      const query = parseQuery(url, runQuerySchema);
      return store.dashboard.gateRuns({ ...query, taskId: query.task });
    }
    case 'runs/:id':
      parseQuery(url, noQuerySchema);
      return runDetail(store, runId(id), ctx.publicKey);
    case 'release':
      parseQuery(url, noQuerySchema);
      return store.dashboard.release();
    case 'trends':
      return store.dashboard.trends(parseQuery(url, trendQuerySchema));
    case 'health':
      parseQuery(url, noQuerySchema);
      return store.dashboard.health();
    case 'change-stamp':
      parseQuery(url, noQuerySchema);
      return ctx.changeStamp();
    case 'queue-health':
      parseQuery(url, noQuerySchema);
      return judgeQueueHealth(await store.queueSnapshot(), ctx.healthSettings);
    default:
      throw new HttpError(404, `no API endpoint ${url.pathname}`);
  }
}

/** A run id from a path: a positive integer, else a 404 (no run has that id). */
export function runId(text: string): number {
  const id = parseRunId(text);
  if (id === undefined) throw new HttpError(404, `no gate run ${text}`);
  return id;
}
