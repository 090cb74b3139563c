import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { FAULTS, type FaultSet } from '../fault-ids.ts';
import { BodyError, readJsonObject } from '../http/body.ts';
import { noteForLog, pathOnly } from '../http/correlation.ts';
import { readCookies } from '../http/cookies.ts';
import { isClientHangUp } from '../http/hang-up.ts';
import { decodeSegment } from '../http/paths.ts';
import { sendJson } from '../http/respond.ts';
import { launchWorkload } from '../model/launch.ts';
import { canReadNodes, nodeReports } from '../model/node-report.ts';
import type { Platform } from '../model/platform.ts';
import { SESSION_COOKIE, type Sessions, type SignedIn } from '../model/sessions.ts';
import type { Workloads } from '../model/workloads.ts';
import { allocationJson, contextJson, notebookJson, workloadJson } from './views.ts';

export type ApiHandlerOptions = {
  platform: Platform;
  sessions: Sessions;
  workloads: Workloads;
  faults: FaultSet;
  /** Where notebooks are served, when on a host of their own; default the app's /notebooks/ route. */
  notebooksUrl?: string;
};

/** An answer the API gives instead of the resource: `{"error":"<code>","message":"<words>"}`. */
class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 500,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The JSON API (docs/reference-stack.md, "API"). Every endpoint needs a session, checked before
 * anything else, so an unknown path without a session is 401 rather than 404: the API does not tell
 * strangers what exists.
 */
export function createApiHandler(options: ApiHandlerOptions): RequestListener {
  const { platform, sessions, workloads, faults } = options;
  let bypassSession: string | undefined;
  /** The request's session; the api-anonymous-bypass fault serves one without a cookie as the first user. */
  function signedInOf(req: IncomingMessage): SignedIn | undefined {
    const signedIn = sessions.fromRequest(req);
    if (signedIn || !faults.has(FAULTS.apiAnonymousBypass) || readCookies(req).has(SESSION_COOKIE)) return signedIn;
    const user = platform.firstUser();
    bypassSession ??= sessions.create(user.id);
    return { sessionId: bypassSession, user };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signedIn = signedInOf(req);
    if (!signedIn) throw new ApiError(401, 'unauthenticated', 'sign in first: this endpoint needs a session');
    const { user } = signedIn;
    const path = pathOnly(req.url).replace(/\/+$/, '');
    const endpoint = `${req.method} ${path}`;
    const activeProject = () => {
      const context = sessions.context(signedIn.sessionId);
      if (!context) throw new ApiError(409, 'no_context', 'you are not a member of any tenant with a project');
      return context.project;
    };

    switch (endpoint) {
      case 'GET /v1/me':
        return sendJson(res, 200, {
          id: user.id,
          username: user.username,
          name: user.name,
          email: user.email,
          roles: user.roles,
        });
      case 'GET /v1/tenants':
        return sendJson(res, 200, {
          tenants: platform.tenantsOf(user.id).map(t => ({
            id: t.id,
            name: t.name,
            projects: platform.projectsOf(t.id).map(p => ({ id: p.id, name: p.name })),
          })),
        });
      case 'GET /v1/context':
        return sendJson(res, 200, contextJson(sessions.context(signedIn.sessionId)));
      case 'PUT /v1/context':
        return switchContext(req, res, signedIn);
      case 'GET /v1/apps':
        return sendJson(res, 200, { apps: platform.apps().map(a => ({ id: a.id, name: a.name, gpus: a.gpus })) });
      case 'POST /v1/workloads':
        return createWorkload(req, res, signedIn, activeProject);
      case 'GET /v1/workloads':
        return sendJson(res, 200, {
          workloads: workloads.inProject(listedProject(req, user.id, activeProject)).map(workloadJson),
        });
      case 'GET /v1/notebooks':
        return sendJson(res, 200, {
          notebooks: platform
            .notebooksOf(user.id, activeProject().id)
            .map(nb => notebookJson(nb, options.notebooksUrl)),
        });
      case 'GET /v1/allocations':
        return sendJson(res, 200, { allocations: platform.allocationsOf(user.id).map(allocationJson) });
      case 'GET /v1/nodes':
        if (!canReadNodes(user.roles, faults))
          throw new ApiError(403, 'forbidden', 'the node inventory is for operators only');
        return sendJson(res, 200, { nodes: nodeReports(platform.nodes(), faults) });
    }
    const workloadId = /^GET \/v1\/workloads\/([^/]+)$/.exec(endpoint)?.[1];
    if (workloadId) {
      const workload = workloads.get(decodeSegment(workloadId));
      if (!workload) throw new ApiError(404, 'not_found', `there is no workload "${workloadId}"`);
      if (!platform.canUseProject(user.id, workload.project))
        throw new ApiError(403, 'forbidden', `workload "${workload.id}" is in a project you are not a member of`);
      return sendJson(res, 200, workloadJson(workload));
    }
    throw new ApiError(404, 'not_found', `there is no endpoint ${endpoint}`);
  }

  async function switchContext(req: IncomingMessage, res: ServerResponse, signedIn: SignedIn): Promise<void> {
    const body = await readJsonObject(req);
    const tenant = requiredString(body, 'tenant');
    const project = requiredString(body, 'project');
    const result = sessions.switchContext(signedIn.sessionId, tenant, project);
    if (!result.ok) throw new ApiError(result.status, result.error, result.message);
    sendJson(res, 200, contextJson(result.context));
  }

  async function createWorkload(
    req: IncomingMessage,
    res: ServerResponse,
    signedIn: SignedIn,
    activeProject: () => { id: string },
  ): Promise<void> {
    const body = await readJsonObject(req);
    if (faults.has(FAULTS.launchApi500)) {
      noteForLog(res, 'fault launch-api-500');
      throw new ApiError(500, 'internal', 'the workload could not be created');
    }
    const app = requiredString(body, 'app');
    const project = body.project === undefined ? activeProject().id : requiredString(body, 'project');
    const result = launchWorkload(platform, workloads, signedIn.user.id, app, project, {
      checkMembership: !faults.has(FAULTS.launchMembershipUnchecked),
    });
    if (!result.ok) throw new ApiError(result.status, result.error, result.message);
    sendJson(res, 201, workloadJson(result.workload));
  }

  /** `?project=<id>` lists that project's workloads, for its members only; else the active project's. */
  function listedProject(req: IncomingMessage, userId: string, activeProject: () => { id: string }): string {
    const named = new URL(req.url ?? '/', 'http://api').searchParams.get('project');
    if (named === null) return activeProject().id;
    if (!platform.canUseProject(userId, named))
      throw new ApiError(403, 'forbidden', `project "${named}" is not one of your projects`);
    return named;
  }

  return (req, res) => {
    route(req, res).catch(error => {
      if (res.headersSent) return void res.destroy();
      // A client that hung up while sending a body: nothing failed, and no one to answer.
      if (isClientHangUp(error, req.socket)) return;
      if (error instanceof BodyError) return sendJson(res, 400, { error: 'bad_request', message: error.message });
      if (error instanceof ApiError) {
        noteForLog(res, error.code);
        return sendJson(res, error.status, { error: error.code, message: error.message });
      }
      process.stderr.write(
        `packgate stack api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      sendJson(res, 500, { error: 'internal', message: 'the api failed unexpectedly' });
    });
  };
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || !value)
    throw new ApiError(400, 'bad_request', `"${field}" is required and must be a non-empty string`);
  return value;
}
