import type { Context } from '../model/platform.ts';
import type { Allocation, Notebook } from '../model/records.ts';
import type { Workload } from '../model/workloads.ts';
import { NOTEBOOKS_PATH } from '../proxy/routes.ts';

/** The API's JSON shapes: copies, so a serialised answer never aliases the live records. */

export function contextJson(context: Context | undefined) {
  return context
    ? {
        tenant: { id: context.tenant.id, name: context.tenant.name },
        project: { id: context.project.id, name: context.project.name },
      }
    : { tenant: null, project: null };
}

export function workloadJson(w: Workload) {
  return {
    id: w.id,
    app: w.app,
    project: w.project,
    user: w.user,
    state: w.state,
    reason: w.reason,
    history: [...w.history],
    createdAt: w.createdAt,
  };
}

/** `base`: where notebooks are served, the app's `/notebooks` route or a notebooks host's URL. */
export function notebookJson(nb: Notebook, base = NOTEBOOKS_PATH) {
  return {
    id: nb.id,
    name: nb.name,
    project: nb.project,
    allocation: nb.allocation,
    url: `${base}/${encodeURIComponent(nb.id)}/lab`,
  };
}

export function allocationJson(a: Allocation) {
  return { id: a.id, project: a.project, node: a.node, state: a.state, gpus: a.gpus };
}
