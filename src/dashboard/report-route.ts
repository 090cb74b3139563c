import { createHash } from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import { REPORT_FILES } from '../schema/constants.ts';
import type { GateRun } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { intactBlob } from './evidence-route.ts';
import { notFound, parseRunId, send } from './http-kit.ts';

/** Where a run's Allure report is recorded among its evidence: `allure-report/<file>`. */
const REPORT_PREFIX = `${REPORT_FILES.allureReport}/`;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The link to a run's Allure report, when the run recorded one (`packgate report allure` adds it). */
export function allureReportUrl(run: Pick<GateRun, 'id' | 'evidence'>): string | undefined {
  return run.evidence.some(e => e.path === `${REPORT_PREFIX}index.html`) ? `/allure/${run.id}/index.html` : undefined;
}

/**
 * A run's Allure report, `/allure/<run>/<file>`, served as evidence is (src/dashboard/evidence-route.ts):
 * by its record only, `allure-report/<file>` among the run's recorded files, no file system path
 * ever built from the URL, content that no longer hashes to its digest not served. Unlike other
 * evidence it runs: it is an app. Its policy lets run only the report's own script files and the
 * inline scripts of the page served (by hash); nothing loads from elsewhere, so the analytics tag
 * Allure writes into every report (it cannot be turned off in 3.18) never reaches the internet.
 */
export async function serveAllureReport(store: QueueStore, res: http.ServerResponse, rest: string): Promise<void> {
  const slash = rest.indexOf('/');
  const runId = parseRunId(slash < 0 ? rest : rest.slice(0, slash));
  if (runId === undefined) throw notFound('such report');
  let file: string;
  try {
    file = decodeURIComponent(slash < 0 ? '' : rest.slice(slash + 1)) || 'index.html';
  } catch {
    throw notFound('such report file');
  }
  if (file.includes('\0') || file.split(/[\\/]/).some(part => part === '..' || part === '.' || part === ''))
    throw notFound('such report file');
  const run = await store.dashboard.gateRun(runId);
  const ref = run?.evidence.find(e => e.path === REPORT_PREFIX + file);
  if (!ref) throw notFound(`Allure report file ${file} in gate run ${runId}`);
  const content = await intactBlob(store, ref.digest, `intact Allure report file ${file} in gate run ${runId}`);
  const ext = path.extname(file).toLowerCase();
  const mime = MIME[ext];
  send(res, 200, mime ?? 'application/octet-stream', content, {
    'content-security-policy': reportPolicy(ext === '.html' ? inlineScriptHashes(content.toString('utf8')) : []),
    ...(mime
      ? {}
      : { 'content-disposition': `attachment; filename="${path.basename(file).replace(/[^\w.-]/g, '_')}"` }),
  });
}

/** The report's policy: its own files, the page's inline scripts by hash, never framed, nothing from outside. */
function reportPolicy(hashes: string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self'${hashes.map(h => ` 'sha256-${h}'`).join('')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The SHA-256 (base64) of each inline script of a page, as a policy's `'sha256-…'` names it. */
export function inlineScriptHashes(page: string): string[] {
  const hashes = new Set<string>();
  for (const match of page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi))
    if (!/\bsrc\s*=/i.test(match[1])) hashes.add(createHash('sha256').update(match[2], 'utf8').digest('base64'));
  return [...hashes];
}
