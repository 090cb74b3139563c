import { noQuerySchema, runQuerySchema, taskQuerySchema, trendQuerySchema } from '../api-schemas.ts';
import { runId, type ApiContext } from '../api.ts';
import { judgeQueueHealth } from '../../coordinator/queue-health.ts';
import { runDetail, taskDetail } from '../data.ts';
import { html, type Html } from '../html.ts';
import { HttpError, parseQuery } from '../http-kit.ts';
import { healthView } from './health-view.ts';
import { layout } from './layout.ts';
import { queueView, taskView } from './queue-view.ts';
import { releaseView } from './release-view.ts';
import { runListView, runView } from './run-view.ts';
import { trendsView } from './trends-view.ts';

export type ViewContext = ApiContext;

/** The page at a path: each view reads what its API endpoint answers, with the same query checks. */
export async function renderView(ctx: ViewContext, segments: string[]): Promise<Html> {
  const { store, url } = ctx;
  const [first, id, ...more] = segments;
  if (more.length) throw new HttpError(404, `no page ${url.pathname}`);
  switch (id === undefined ? first : `${first}/:id`) {
    case '':
      parseQuery(url, noQuerySchema);
      return releaseView(await store.dashboard.release());
    case 'trends':
      return trendsView(
        await store.dashboard.trends(parseQuery(url, trendQuerySchema)),
        parseQuery(url, trendQuerySchema),
      );
    case 'runs': {
      const query = parseQuery(url, runQuerySchema);
      return runListView(await store.dashboard.gateRuns({ ...query, taskId: query.task }), query);
    }
    case 'runs/:id':
      parseQuery(url, noQuerySchema);
      return runView(store, await runDetail(store, runId(id), ctx.publicKey));
    case 'queue': {
      const query = parseQuery(url, taskQuerySchema);
      return queueView(await store.dashboard.tasks(query), await store.dashboard.laneStateCounts(), query);
    }
    case 'tasks/:id':
      parseQuery(url, noQuerySchema);
      return taskView(await taskDetail(store, id));
    case 'health':
      parseQuery(url, noQuerySchema);
      return healthView(
        await store.dashboard.health(),
        await store.sessions(),
        judgeQueueHealth(await store.queueSnapshot(), ctx.healthSettings),
      );
    default:
      throw new HttpError(404, `no page ${url.pathname}`);
  }
}

export function errorPage(status: number, message: string): Html {
  return layout(
    status === 404 ? 'Not found' : status === 400 ? 'Bad request' : 'Error',
    null,
    html`<p class="error">${message}</p>
      <p><a href="/">Back to the release view</a></p>`,
  );
}
