import type { APIRequestContext } from '@playwright/test';
import { answerTimeout } from '../environment/answer-timeout.ts';
import type { ResolvedEnvironment } from '../environment/resolve.ts';
import type { PreflightCheck } from './env-check.ts';

/*
 * How env check reaches a URL, and the words its rows say of one that gave no answer, so that the
 * checks reading rows (a silent app, a stack not up, an untrusted certificate) find them.
 */

/** One URL reached: any HTTP answer below 500 is a server there; DNS, TLS and connection failures are named. */
export async function reach(
  http: APIRequestContext,
  check: string,
  url: string,
  env: ResolvedEnvironment,
): Promise<PreflightCheck> {
  try {
    const response = await http.get(url, { maxRedirects: 0 });
    const status = response.status();
    return { check, ok: status < 500, detail: `${url} answers HTTP ${status}` };
  } catch (error) {
    return { check, ok: false, detail: `${url}: ${networkProblem(error, env)}` };
  }
}

export const CONNECTION_REFUSED = 'connection refused: nothing listens there';
export const TLS = 'TLS: ';
/** Playwright's request API follows 20 redirects, as browsers do, then gives up. */
const REDIRECT_LOOP =
  'redirected more than 20 times without an answer: a redirect loop (check the URL, and the proxy or app in front of it)';
const DNS = 'DNS: the host name does not resolve';
/** How answerTimeout's words for a URL that stayed silent start. */
const NO_ANSWER = 'no answer within';

/** A row saying its URL's host did not answer at all (no name, no listener, no answer in time), not how. */
export function unanswered(detail: string): boolean {
  return [CONNECTION_REFUSED, DNS, NO_ANSWER].some(said => detail.includes(said));
}

/** What kept `error`'s request from an answer, in words; a timeout names the environment's answer_timeout_s. */
export function networkProblem(error: unknown, env: ResolvedEnvironment): string {
  // Playwright's request API names itself first ("apiRequestContext.get: ..."): not the URL's news.
  const message = String((error as Error)?.message ?? error)
    .split('\n')[0]
    .replace(/^apiRequestContext\.\w+: /, '');
  if (/Max redirect count exceeded/i.test(message)) return REDIRECT_LOOP;
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(message)) return `${DNS} (${message})`;
  if (/certificate|SSL|TLS|self[- ]signed/i.test(message)) return `${TLS}${message}`;
  if (/ECONNREFUSED/.test(message)) return CONNECTION_REFUSED;
  if (/Timeout|timed out/i.test(message)) return answerTimeout(env).noAnswer;
  return message;
}
