import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { at, type YamlSource } from '../diagnostics/yaml-source.ts';
import type { EnvValue } from '../schema/common.ts';
import { URL_NAMES, type Environment } from '../schema/environment.ts';
import { httpUrlProblem } from '../schema/http-url.ts';
import { fileName } from '../schema/renamed.ts';
import { looksSubstituted } from './environment-substitution.ts';

/**
 * Every URL a descriptor writes (a literal, or an env var's default), checked by the rules the run
 * resolves it by (resolve.ts): an http(s) URL, https unless the environment allows HTTP; a page's
 * or API's URL other than the app's and the issuer's may be a path on the app's URL. A default the
 * run would refuse is refused here, where it is written, not when a gate or `env check` starts.
 */
export function checkEnvironmentUrls(env: Partial<Environment>, source: YamlSource): Diagnostic[] {
  const urls: Array<{ field: PropertyKey[]; value: EnvValue | undefined; onApp: boolean; probe?: boolean }> = [
    ...Object.entries(env.urls ?? {}).map(([key, value]) => ({
      field: ['urls', fileName(URL_NAMES, key)],
      value,
      onApp: key !== 'app' && key !== 'authIssuer',
    })),
    { field: ['oidc', 'redirect_uri'], value: env.oidc?.redirectUri, onApp: false },
    // A readiness probe: plain HTTP on loopback, on any stage, as a kubelet probes a pod.
    { field: ['stack', 'ready_url'], value: env.stack?.readyUrl, onApp: false, probe: true },
  ];
  const out: Diagnostic[] = [];
  for (const { field, value, onApp, probe } of urls) {
    const literal = typeof value === 'string' ? value : value?.default;
    // A shell substitution is said once, as one (environment-substitution.ts), not also as no URL.
    if (!literal || (onApp && literal.startsWith('/')) || looksSubstituted(literal)) continue;
    const where = typeof value === 'string' ? field : [...field, 'default'];
    const refused = httpUrlProblem(
      literal,
      probe ? 'http' : 'https',
      field[1] === 'redirect_uri' ? 'redirect' : 'base',
    );
    if (refused)
      out.push(
        at(
          source,
          where,
          'invalid-url',
          `"${literal}" ${refused.problem}`,
          refused.fix ??
            (onApp
              ? "write an absolute URL such as https://api.example.com, or a path on the app's URL such as /api"
              : `write an absolute URL such as ${probe ? 'http://127.0.0.1:8080' : 'https://app.example.com'}`),
        ),
      );
    else if (!probe && new URL(literal).protocol === 'http:' && !env.allowHttp)
      out.push(
        at(
          source,
          where,
          'insecure-url',
          `must be an https URL${env.stage ? ` for stage ${env.stage}` : ''}`,
          env.stage === 'dev'
            ? 'use https, or set allow_http: true for this dev environment'
            : 'use the deployed https URL',
        ),
      );
  }
  return out;
}
