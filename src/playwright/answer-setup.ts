import http from 'node:http';
import https from 'node:https';

/** The URLs of the run's deployments to hear from before any test starts (Reachable[], JSON), set by the runner. */
export const REACHABLE_VAR = 'PACKGATE_REACHABLE_URLS';

/** One URL of an environment packgate does not start, by the field that names it. */
export type Reachable = { environment: string; field: string; url: string };

/** How long a URL may stay silent: as long as `packgate env check` waits for it. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Playwright's global setup for a run against deployments packgate does not start (a remote
 * environment, a stack started by hand): each of their URLs must answer within 10 s, with anything at
 * all (any status, a TLS alert, a refused connection), before a test starts. A host that never answers
 * (a firewall that drops, a VPN not up) would otherwise cost every test its full timeout, minutes for
 * the run; stopped here, the run ends in 10 s, BLOCKED, saying which URL did not answer. What answers,
 * however badly (refused, untrusted, a 500), the tests judge and say, quickly, test by test.
 */
export default async function checkDeploymentsAnswer(): Promise<void> {
  const urls = JSON.parse(process.env[REACHABLE_VAR] ?? '[]') as Reachable[];
  const silent = (await Promise.all(urls.map(async u => ({ ...u, problem: await noAnswer(u.url) })))).filter(
    (u): u is Reachable & { problem: string } => !!u.problem,
  );
  if (!silent.length) return;
  const environments = [...new Set(silent.map(u => u.environment))];
  // One line: the verdict keeps the first line of a run's error as its reason.
  const error = new Error(
    `${environments.map(e => `environment ${e}`).join(' and ')} did not answer: ` +
      silent.map(u => `${u.field} ${u.url} (${u.problem})`).join('; ') +
      '; check the deployment is up and reachable from this machine (VPN, firewall, DNS), ' +
      `then \`npx packgate env check ${environments[0]}\` checks each URL and sign-in`,
  );
  // Where in packgate it was thrown says nothing to the user: the message is all of it.
  error.stack = error.message;
  throw error;
}

/** Why `url` gave no answer in time, or undefined when anything came back. */
function noAnswer(url: string): Promise<string | undefined> {
  return new Promise(resolve => {
    const get = url.startsWith('https:') ? https.get : http.get;
    // Whether the certificate is trusted is for the tests (and env check) to say: a handshake is an answer.
    const request = get(
      url,
      { rejectUnauthorized: false, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) },
      response => {
        response.destroy();
        resolve(undefined);
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve(problemOf(error)));
  });
}

function problemOf(error: NodeJS.ErrnoException): string | undefined {
  return error.name === 'TimeoutError' || error.name === 'AbortError'
    ? `no answer within ${ANSWER_TIMEOUT_MS / 1000} s`
    : undefined;
}
