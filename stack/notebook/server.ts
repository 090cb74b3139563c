import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { FAULTS, type FaultSet } from '../fault-ids.ts';
import { noteForLog, pathOnly } from '../http/correlation.ts';
import { decodeSegment } from '../http/paths.ts';
import { sendHtml, sendJson } from '../http/respond.ts';
import type { Platform } from '../model/platform.ts';
import type { Sessions } from '../model/sessions.ts';
import { labPage, notebookErrorPage } from './pages.ts';

export type NotebookHandlerOptions = { platform: Platform; sessions: Sessions; faults: FaultSet };

/**
 * The notebook service: `/<id>/lab` (HTML) and `/<id>/api/status` (JSON), for the notebook's owner.
 * The proxy serves it under /notebooks/ and strips that prefix; a path of any other shape is 404,
 * which is exactly what a broken rewrite produces.
 */
export function createNotebookHandler({ platform, sessions, faults }: NotebookHandlerOptions): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/([^/]+)\/(lab|api\/status)$/.exec(pathOnly(req.url));
    const asJson = match?.[2] === 'api/status';
    const refuse = (status: 401 | 403 | 404, error: string, message: string) => {
      noteForLog(res, error);
      if (asJson) sendJson(res, status, { error, message });
      else sendHtml(res, status, notebookErrorPage(status, message));
    };

    if (!match)
      return refuse(404, 'not_found', 'the notebook service serves /<notebook>/lab and /<notebook>/api/status');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(404, 'not_found', 'only GET is served here');
    const signedIn = sessions.fromRequest(req);
    if (!signedIn) return refuse(401, 'unauthenticated', 'sign in to open notebooks');
    const notebook = platform.notebook(decodeSegment(match[1]));
    if (!notebook) return refuse(404, 'not_found', `there is no notebook "${decodeSegment(match[1])}"`);
    const ownerUnchecked =
      faults.has(FAULTS.notebookOpenToAll) || (!asJson && faults.has(FAULTS.notebookLabOwnerUnchecked));
    if (notebook.user !== signedIn.user.id && !ownerUnchecked)
      return refuse(403, 'forbidden', 'this notebook belongs to another user');

    const owner = platform.user(notebook.user)?.username ?? notebook.user;
    if (!asJson) return sendHtml(res, 200, labPage(notebook, owner));
    sendJson(res, 200, { id: notebook.id, name: notebook.name, owner, project: notebook.project, kernel: 'idle' });
  };
}
