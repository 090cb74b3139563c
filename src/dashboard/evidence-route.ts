import type http from 'node:http';
import path from 'node:path';
import { sha256 } from '../store/blobs.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { EVIDENCE_CSP, notFound, parseRunId, send } from './http-kit.ts';

/**
 * Evidence is served by its record only: `/evidence/<run>/<path>` finds the path among the files the
 * run recorded and answers the blob of that digest. No file system path is ever built from the URL,
 * so `..`, encoded `..` and symlinks have nothing to reach; and content that no longer hashes to its
 * recorded digest (a blob edited or swapped for a link) is not served either.
 */
export async function serveEvidence(store: QueueStore, res: http.ServerResponse, rest: string): Promise<void> {
  const slash = rest.indexOf('/');
  const runId = parseRunId(rest.slice(0, slash));
  if (slash < 1 || runId === undefined) throw notFound('such evidence');
  let file: string;
  try {
    file = decodeURIComponent(rest.slice(slash + 1));
  } catch {
    throw notFound('such evidence');
  }
  // Nothing could match these, but they are refused before any lookup all the same.
  if (!file || file.includes('\0') || file.split(/[\\/]/).some(part => part === '..' || part === '.'))
    throw notFound('such evidence');
  const run = await store.dashboard.gateRun(runId);
  const ref = run?.evidence.find(e => e.path === file);
  if (!ref) throw notFound(`evidence ${file} in gate run ${runId}`);
  const content = await intactBlob(store, ref.digest, `intact evidence ${file} in gate run ${runId}`);
  sendStoredFile(res, file, content);
}

/**
 * A stored file, as the type its name says (markup as plain text, an unknown kind as a download),
 * in no page context of ours: a stored SVG or HTML with a script does nothing.
 */
export function sendStoredFile(res: http.ServerResponse, file: string, content: Buffer): void {
  const type = contentType(file);
  send(res, 200, type.mime, content, {
    'content-security-policy': EVIDENCE_CSP,
    ...(type.download
      ? { 'content-disposition': `attachment; filename="${path.basename(file).replace(/[^\w.-]/g, '_')}"` }
      : {}),
  });
}

/**
 * The stored blob of a digest, or a 404 naming `what` when it is gone or no longer hashes to its
 * digest (a blob edited, or swapped for a link): what no route serves.
 */
export async function intactBlob(store: QueueStore, digest: string, what: string): Promise<Buffer> {
  const content = await store.blobs.get(digest);
  if (!content || sha256(content) !== digest) throw notFound(what);
  return content;
}

/** What a file is served as: known kinds as themselves, markup as plain text, the rest as a download. */
export function contentType(file: string): { mime: string; download: boolean; image: boolean } {
  const ext = path.extname(file).toLowerCase();
  const images: Record<string, string> = {
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.gif': 'image/gif',
    '.webp': 'image/webp',
  };
  if (images[ext]) return { mime: images[ext], download: false, image: true };
  if (ext === '.json') return { mime: 'application/json; charset=utf-8', download: false, image: false };
  if (['.txt', '.log', '.md', '.xml', '.html', '.htm', '.svg', '.yaml', '.yml', '.csv'].includes(ext))
    return { mime: 'text/plain; charset=utf-8', download: false, image: false };
  if (ext === '.zip') return { mime: 'application/zip', download: false, image: false };
  if (ext === '.webm') return { mime: 'video/webm', download: false, image: false };
  return { mime: 'application/octet-stream', download: true, image: false };
}

/** The link to a run's file: each segment encoded. */
export function evidenceUrl(runId: number, file: string): string {
  return `/evidence/${runId}/${file.split('/').map(encodeURIComponent).join('/')}`;
}
