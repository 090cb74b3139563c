import http from 'node:http';
import https from 'node:https';
import { answerTimeout } from '../environment/answer-timeout.ts';

/** The deployments to hear from before any test starts (Reachable[], JSON), set by the runner. */
export const REACHABLE_VAR = 'PACKGATE_REACHABLE_URLS';

/**
 * An environment packgate does not start: its URLs, each by the field that names it, and how long
 * each may stay silent (`answer_timeout_s` of its descriptor, `file`).
 */
export type Reachable = {
  environment: string;
  file: string;
  answerTimeoutS: number;
  urls: Array<{ field: string; url: string }>;
};

/**
 * Playwright's global setup for a run against deployments packgate does not start (a remote
 * environment, a stack started by hand): each of their URLs must answer within the environment's
 * answer_timeout_s (10 s unless it says), with anything at all (any status, a TLS alert, a refused
 * connection), before a test starts. A host that never answers (a firewall that drops, a VPN not up)
 * would otherwise cost every test its full timeout, minutes for the run; stopped here, the run ends
 * in that time, BLOCKED, saying which URL did not answer and the setting that gave up on it. What
 * answers, however badly (refused, untrusted, a 500), the tests judge and say, quickly, test by test.
 */
export default async function checkDeploymentsAnswer(): Promise<void> {
  const deployments = JSON.parse(process.env[REACHABLE_VAR] ?? '[]') as Reachable[];
  const silent = (
    await Promise.all(
      deployments.map(async deployment => {
        const { ms } = answerTimeout(deployment);
        const answered = await Promise.all(deployment.urls.map(u => answers(u.url, ms)));
        return { ...deployment, urls: deployment.urls.filter((_, i) => !answered[i]) };
      }),
    )
  ).filter(deployment => deployment.urls.length);
  if (!silent.length) return;
  // One line: the verdict keeps the first line of a run's error as its reason.
  const error = new Error(
    silent
      .map(
        d =>
          `environment ${d.environment} did not answer: ` +
          d.urls.map(u => `${u.field} ${u.url}`).join(', ') +
          `: ${answerTimeout(d).noAnswer}`,
      )
      .join('; ') +
      '; check the deployment is up and reachable from this machine (VPN, firewall, DNS), ' +
      'or raise answer_timeout_s for one slow to start; ' +
      `then \`npx packgate env check ${silent[0].environment}\` checks each URL and sign-in`,
  );
  // Where in packgate it was thrown says nothing to the user: the message is all of it.
  error.stack = error.message;
  throw error;
}

/** Whether anything came back from `url` within `timeoutMs`: a status, a handshake, a refusal. */
function answers(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise(resolve => {
    const get = url.startsWith('https:') ? https.get : http.get;
    // Whether the certificate is trusted is for the tests (and env check) to say: a handshake is an answer.
    const request = get(url, { rejectUnauthorized: false, signal: AbortSignal.timeout(timeoutMs) }, response => {
      response.destroy();
      resolve(true);
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.name !== 'TimeoutError' && error.name !== 'AbortError'),
    );
  });
}
