import { noQuerySchema, runQuerySchema, taskQuerySchema, trendQuerySchema } from '../api-schemas.ts';
import { runId, type ApiContext } from '../api.ts';
import { judgeQueueHealth } from '../../coordinator/queue-health.ts';
import { runDetail, taskDetail } from '../data.ts';
import { html, type Html } from '../html.ts';
import { HttpError, parseQuery } from '../http-kit.ts';
import { healthView } from './health-view.ts';
import { layout, VIEWS } from './layout.ts';
import { queueView, taskView } from './queue-view.ts';
import { releaseView } from './release-view.ts';
import { runListView, runView } from './run-view.ts';
import { trendsView } from './trends-view.ts';
import { taskIdSegment } from '../request-target.ts';
import { unknownFilters, type KnownValues } from '../filter-hints.ts';
import { NO_LANE } from '../../store/dashboard-reads.ts';

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
    case 'trends': {
      const query = parseQuery(url, trendQuerySchema);
      const trends = await store.dashboard.trends(query);
      // The runs count as given: the link adds no default.
      const filters = {
        environment: query.environment,
        pack: query.pack,
        runs: url.searchParams.get('runs') || undefined,
      };
      const known = trends.series.length ? {} : await knownValues(store, 'runs');
      return trendsView(trends, query, unknownFilters('/trends', filters, known));
    }
    case 'runs': {
      const query = parseQuery(url, runQuerySchema);
      const page = await store.dashboard.gateRuns({ ...query, taskId: query.task });
      const filters = { environment: query.environment, task: query.task };
      const known = page.total ? {} : await knownValues(store, 'runs');
      return runListView(page, query, unknownFilters('/runs', filters, known));
    }
    case 'runs/:id':
      parseQuery(url, noQuerySchema);
      return runView(store, await runDetail(store, runId(id), ctx.publicKey));
    case 'queue': {
      const query = parseQuery(url, taskQuerySchema);
      const page = await store.dashboard.tasks(query);
      const { lane, pack, environment } = query;
      const known = page.total ? {} : await knownValues(store, 'tasks');
      const filters = { lane, pack, environment, state: query.state, kind: query.kind };
      const unknown = unknownFilters('/queue', filters, known);
      return queueView(page, await store.dashboard.laneStateCounts(), query, unknown);
    }
    case 'tasks/:id':
      parseQuery(url, noQuerySchema);
      return taskView(await taskDetail(store, taskIdSegment(id)));
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

/** Where each filter's values are found: the gate runs (runs list, trends) or the tasks (queue). */
const FOUND_IN = {
  runs: { environment: 'among the recorded gate runs', pack: 'among the recorded gate runs', task: 'in the queue' },
  tasks: { lane: 'in the queue', environment: "in any task's packet", pack: "in any task's packet" },
} as const;

/** What the store holds for each filter a page checks: read only when the page is empty. */
async function knownValues(
  store: ViewContext['store'],
  of: keyof typeof FOUND_IN,
): Promise<Record<string, KnownValues>> {
  const values = await store.dashboard.filterValues(of);
  return Object.fromEntries(
    Object.entries(FOUND_IN[of]).map(([key, where]) => [
      key,
      // "-" is the queue's filter of tasks with no lane: no typo, and never what one meant.
      { values: values[key as keyof typeof values], where, accepted: key === 'lane' ? [NO_LANE] : [] },
    ]),
  );
}

/** The view an error page links back to, by the path's first segment: a task's is the queue, a run's file its runs. */
const BACK_TO: Record<string, string> = {
  queue: '/queue',
  tasks: '/queue',
  runs: '/runs',
  evidence: '/runs',
  allure: '/runs',
  'watch-logs': '/queue',
  'proof-files': '/queue',
  trends: '/trends',
  health: '/health',
};

const ERROR_TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  405: 'Method not allowed',
  503: 'Store unavailable',
};

/**
 * An error outside the API, as a page in the dashboard's layout: what went wrong, the page a typo
 * most likely meant, and the way back to its view.
 */
export function errorPage(status: number, message: string, pathname: string, meant: HttpError['meant']): Html {
  const view = VIEWS.find(v => v.path === BACK_TO[pathname.split('/')[1]]);
  const back = view ?? VIEWS[0];
  return layout(
    ERROR_TITLES[status] ?? 'Error',
    // A path of no view's (a page that does not exist) marks none as the current one.
    view?.path ?? null,
    html`<p class="error">${message}</p>
      ${meant ? html`<p class="meant"><a href="${meant.path}">Go to ${meant.label}</a></p>` : ''}
      <p><a href="${back.path}">Back to the ${back.name.toLowerCase()} view</a></p>`,
  );
}
