import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAULTS, type FaultSet } from '../fault-ids.ts';
import { readForm } from '../http/body.ts';
import { noteForLog } from '../http/correlation.ts';
import { decodeSegment } from '../http/paths.ts';
import { redirect, sendHtml } from '../http/respond.ts';
import { launchWorkload } from '../model/launch.ts';
import { canReadNodes, nodeReports } from '../model/node-report.ts';
import type { Platform } from '../model/platform.ts';
import type { Sessions, SignedIn } from '../model/sessions.ts';
import type { Workloads } from '../model/workloads.ts';
import { NOTEBOOKS_PATH } from '../proxy/routes.ts';
import { shellMessage, shellPage, type PageContent, type ShellView } from './pages/layout.ts';
import {
  appsContent,
  launchContent,
  overviewContent,
  workloadContent,
  workloadsContent,
} from './pages/launch-pages.ts';
import { allocationsContent, nodesContent, notebooksContent, terminalContent } from './pages/resource-pages.ts';
import { notFoundPage } from './pages/sign-in.ts';
import type { SessionStorageTokens } from './session-storage-token.ts';

export type ShellRoutesOptions = {
  appUrl: string;
  loginPath: string;
  platform: Platform;
  sessions: Sessions;
  workloads: Workloads;
  faults: FaultSet;
  /** Whether the shell shows who is signed in (default yes). */
  shellIdentity?: 'shown' | 'hidden';
  /** The session-storage shape: pages show only in a tab holding the session's token. */
  sessionStorage?: SessionStorageTokens;
  /** Set where the sign-in happens in front of the app: a page asked for without a session starts it. */
  startSignIn?: (res: ServerResponse, returnTo: string) => Promise<void>;
  /** Where notebooks are served, when on a host of their own; default the app's /notebooks/ route. */
  notebooksUrl?: string;
};

const CONTEXT_PATH = '/shell/context';

/**
 * The signed-in pages under /shell. Without a session every one of them redirects to sign in.
 * Each page reads the session's context once (which is what the context-lost-on-reload fault counts).
 */
export function createShellRoutes(options: ShellRoutesOptions) {
  const { platform, sessions, workloads, faults } = options;
  const appHost = new URL(options.appUrl).host;
  const appOrigin = new URL(options.appUrl).origin;

  /**
   * A form POST from another site (cross-site request forgery) is refused: a browser says where a
   * form was submitted from in Origin. A request without Origin (no browser) is not a forgery.
   * The context-form-origin-unchecked fault forgets the check on the context form only.
   */
  function forgedFrom(req: IncomingMessage, path: string): string | undefined {
    const origin = req.headers.origin;
    if (origin === undefined || origin === appOrigin) return undefined;
    if (path === CONTEXT_PATH && faults.has(FAULTS.contextFormOriginUnchecked)) return undefined;
    return origin;
  }

  function view(signedIn: SignedIn): ShellView {
    const { user } = signedIn;
    const tenants = platform.tenantsOf(user.id);
    return {
      user,
      context: sessions.context(signedIn.sessionId),
      tenants,
      projects: tenants.flatMap(t => platform.projectsOf(t.id)),
      showNodes: user.roles.includes('operator'),
      navBroken: faults.has(FAULTS.modeNavBroken),
      showIdentity: options.shellIdentity !== 'hidden',
      sessionStorageCheck: options.sessionStorage && {
        digest: options.sessionStorage.digestFor(signedIn.sessionId),
        loginPath: options.loginPath,
      },
    };
  }

  const page = (res: ServerResponse, status: number, shell: ShellView, content: PageContent) =>
    sendHtml(res, status, shellPage(shell, content));

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const signedIn = sessions.fromRequest(req);
    if (!signedIn) {
      if (options.startSignIn && req.method === 'GET') return options.startSignIn(res, `${url.pathname}${url.search}`);
      // A form posted without a session goes to the shell, where the sign-in in front of the app starts.
      return redirect(res, options.startSignIn ? '/shell' : options.loginPath, {}, req.method === 'POST' ? 303 : 302);
    }
    const { user } = signedIn;
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const segments = path.split('/').slice(2).map(decodeSegment);

    if (req.method === 'POST') {
      const forged = forgedFrom(req, path);
      if (forged !== undefined) {
        noteForLog(res, 'forbidden_origin');
        return page(res, 403, view(signedIn), {
          mode: 'overview',
          body: shellMessage('forbidden', `Forms of this app are accepted only from ${appOrigin}, not ${forged}.`),
        });
      }
      if (path === CONTEXT_PATH) return switchContext(req, res, signedIn);
      if (segments.length === 3 && segments[0] === 'apps' && segments[2] === 'launch')
        return launch(req, res, signedIn, segments[1]);
      return sendHtml(res, 404, notFoundPage());
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendHtml(res, 405, notFoundPage(), { allow: 'GET, HEAD, POST' });

    const shell = view(signedIn);
    const projectId = shell.context?.project.id;
    switch (segments.join('/')) {
      case '':
        return page(
          res,
          200,
          shell,
          overviewContent({
            apps: platform.apps().length,
            workloads: projectId ? workloads.inProject(projectId).length : 0,
            notebooks: projectId ? platform.notebooksOf(user.id, projectId).length : 0,
            allocations: platform.allocationsOf(user.id).length,
          }),
        );
      case 'apps':
        return page(res, 200, shell, appsContent(platform.apps()));
      case 'workloads':
        return page(
          res,
          200,
          shell,
          workloadsContent(
            projectId ? workloads.inProject(projectId) : [],
            new Map(platform.apps().map(a => [a.id, a])),
          ),
        );
      case 'notebooks':
        return page(
          res,
          200,
          shell,
          notebooksContent(
            projectId ? platform.notebooksOf(user.id, projectId) : [],
            options.notebooksUrl ?? NOTEBOOKS_PATH,
          ),
        );
      case 'allocations':
        return page(res, 200, shell, allocationsContent(platform.allocationsOf(user.id)));
      case 'nodes':
        if (!canReadNodes(user.roles, faults) && !faults.has(FAULTS.nodesPageNotOperatorOnly))
          return page(res, 403, shell, {
            mode: 'nodes',
            body: shellMessage('forbidden', 'The node inventory is for operators only.'),
          });
        return page(res, 200, shell, nodesContent(nodeReports(platform.nodes(), faults)));
    }

    const [first, id, last] = segments;
    if (segments.length === 3 && first === 'apps' && last === 'launch') {
      const app = platform.app(id);
      if (!app) return sendHtml(res, 404, notFoundPage());
      return page(res, 200, shell, launchContent(app, shell.context));
    }
    if (segments.length === 2 && first === 'workloads') {
      const workload = workloads.get(id);
      if (!workload) return sendHtml(res, 404, notFoundPage());
      if (!platform.canUseProject(user.id, workload.project))
        return page(res, 403, shell, {
          mode: 'workloads',
          body: shellMessage('forbidden', 'This workload belongs to a project you are not a member of.'),
        });
      return page(res, 200, shell, workloadContent(workload, platform.app(workload.app)));
    }
    if (segments.length === 3 && first === 'allocations' && last === 'terminal') {
      const allocation = platform.allocation(id);
      if (!allocation) return sendHtml(res, 404, notFoundPage());
      if (allocation.user !== user.id)
        return page(res, 403, shell, {
          mode: 'allocations',
          body: shellMessage('forbidden', 'This allocation is not yours.'),
        });
      return page(res, 200, shell, terminalContent(allocation));
    }
    sendHtml(res, 404, notFoundPage());
  }

  async function switchContext(req: IncomingMessage, res: ServerResponse, signedIn: SignedIn): Promise<void> {
    const form = await readForm(req);
    const result = sessions.switchContext(signedIn.sessionId, form.get('tenant') ?? '', form.get('project') ?? '');
    if (!result.ok) {
      noteForLog(res, result.error);
      return page(res, result.status, view(signedIn), {
        mode: 'overview',
        body: shellMessage(result.status === 400 ? 'form-error' : 'forbidden', result.message),
      });
    }
    redirect(res, backTo(req.headers.referer), {}, 303);
  }

  async function launch(req: IncomingMessage, res: ServerResponse, signedIn: SignedIn, appId: string): Promise<void> {
    const form = await readForm(req);
    const app = platform.app(appId);
    if (!app) return sendHtml(res, 404, notFoundPage());
    // The form names the project it showed, so a switch in another tab cannot move the launch.
    const projectId = form.get('project') || sessions.context(signedIn.sessionId)?.project.id || '';
    const refuse = (status: number, message: string) => {
      const shell = view(signedIn);
      page(res, status, shell, launchContent(app, shell.context, message));
    };
    if (faults.has(FAULTS.launchApi500)) {
      noteForLog(res, 'fault launch-api-500');
      return refuse(500, 'The workload could not be created: internal error.');
    }
    const result = launchWorkload(platform, workloads, signedIn.user.id, appId, projectId);
    if (!result.ok) return refuse(result.status, result.message);
    redirect(res, `/shell/workloads/${encodeURIComponent(result.workload.id)}`, {}, 303);
  }

  /** Back to the shell page the switch was made on (its Referer, on the app host), else the overview. */
  function backTo(referer: string | undefined): string {
    if (!referer) return '/shell';
    try {
      const from = new URL(referer);
      const onShellPage = from.pathname === '/shell' || from.pathname.startsWith('/shell/');
      if (from.host === appHost && onShellPage && from.pathname !== CONTEXT_PATH)
        return `${from.pathname}${from.search}`;
    } catch {
      // An unparsable Referer is ignored.
    }
    return '/shell';
  }

  return { handle };
}
