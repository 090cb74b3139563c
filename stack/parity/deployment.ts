import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { StackUsageError, type StackConfig } from '../config.ts';
import { sendJson } from '../http/respond.ts';
import type { PlatformProxy } from '../proxy/server.ts';
import type { PublicServer } from '../stack.ts';
import { issueCertificates } from './certificates.ts';
import { CONFIG_KEYS, missingConfiguration, MountedConfig, renderDeploymentFiles } from './deployment-config.ts';
import { trustingFetch } from './trusting-fetch.ts';

const APP_KEYS = [
  CONFIG_KEYS.appUrl,
  CONFIG_KEYS.issuer,
  CONFIG_KEYS.clientId,
  CONFIG_KEYS.clientSecret,
  CONFIG_KEYS.redirectUri,
  CONFIG_KEYS.cookieSecure,
  CONFIG_KEYS.notebooksUrl,
] as const;
const IDP_KEYS = [CONFIG_KEYS.clientId, CONFIG_KEYS.clientSecret, CONFIG_KEYS.registeredRedirectUris] as const;

/**
 * The stack in deployment shape (environments of kind parity), set up before any service starts:
 * a CA and the ingress's certificate for every host, the CA written where the run reads it, and the
 * configuration rendered as a mounted ConfigMap and Secret. What it returns is each service's view
 * of that configuration and the public servers: the TLS ingress, and the probe on plain HTTP.
 */
export function prepareDeployment(config: StackConfig) {
  const { env, deployment } = config;
  const shape = deployment!;
  const hosts = [env.urls.app, env.urls.api!, env.urls.authIssuer, shape.notebooksUrl].map(
    url => new URL(url).hostname,
  );
  // The hosts by name, and a wildcard for each parent domain, as an ingress's certificate often has.
  const wildcards = hosts.map(host => `*.${host.split('.').slice(1).join('.')}`);
  const certificates = issueCertificates([...new Set([...hosts, ...wildcards])]);
  fs.mkdirSync(path.dirname(shape.caFile), { recursive: true });
  fs.writeFileSync(shape.caFile, certificates.caPem);

  const files = renderDeploymentFiles(
    shape.configDir,
    {
      appUrl: env.urls.app,
      apiUrl: env.urls.api!,
      notebooksUrl: shape.notebooksUrl,
      issuer: env.urls.authIssuer,
      clientId: env.oidc.clientId,
      redirectUri: env.oidc.redirectUri,
      clientSecret: config.clientSecret,
    },
    config.faultSet,
  );
  const mounted = () => new MountedConfig(files);

  return {
    /** The back channel's fetch: through the ingress, trusting the CA made here. */
    fetch: trustingFetch(certificates.caPem),

    /** The IdP's client registration, its redirect URIs as configured. */
    idpClient() {
      const read = mounted().require(IDP_KEYS);
      if ('missing' in read) throw new StackUsageError(missingConfiguration('IdP', read.missing));
      const { values } = read;
      return {
        clientId: values[CONFIG_KEYS.clientId],
        clientSecret: values[CONFIG_KEYS.clientSecret],
        redirectUris: values[CONFIG_KEYS.registeredRedirectUris].split(',').map(uri => uri.trim()),
      };
    },

    /** A replica's settings, read when it starts; what is missing keeps it from becoming ready. */
    appSettings() {
      const config = mounted();
      const read = config.require(APP_KEYS);
      if ('missing' in read) return { missing: missingConfiguration('app', read.missing) };
      const { values } = read;
      return {
        appUrl: values[CONFIG_KEYS.appUrl],
        issuer: values[CONFIG_KEYS.issuer],
        clientId: values[CONFIG_KEYS.clientId],
        clientSecret: values[CONFIG_KEYS.clientSecret],
        redirectUri: values[CONFIG_KEYS.redirectUri],
        cookie: {
          secure: values[CONFIG_KEYS.cookieSecure] === 'true',
          domain: config.optional(CONFIG_KEYS.cookieDomain),
        },
        notebooksUrl: values[CONFIG_KEYS.notebooksUrl],
      };
    },

    /** Why the notebook service refuses to become ready, or undefined. */
    notebookUnready() {
      const read = mounted().require([CONFIG_KEYS.kernelImage]);
      return 'missing' in read ? missingConfiguration('notebook', read.missing) : undefined;
    },

    /** The ingress's own settings: its HSTS header and where it sends the notebooks host. */
    ingress() {
      const config = mounted();
      const notebooksService = config.optional(CONFIG_KEYS.notebooksService) ?? 'notebook';
      return {
        hsts: config.optional(CONFIG_KEYS.hsts),
        reroute: notebooksService === 'app' ? { 'notebooks-host': 'app' as const } : undefined,
      };
    },

    /** The ingress on every host's one TLS port, and the readiness probe on plain HTTP. */
    publicServers(
      proxy: PlatformProxy,
      handleControl: (res: http.ServerResponse, url: URL, method: string) => boolean,
    ): PublicServer[] {
      const ingress = https.createServer({ key: certificates.keyPem, cert: certificates.certPem }, proxy.handleRequest);
      ingress.on('upgrade', proxy.handleUpgrade);
      const probe = http.createServer((req, res) => {
        if (handleControl(res, new URL(req.url ?? '/', 'http://probe'), req.method ?? 'GET')) return;
        sendJson(res, 404, {
          error: 'not_found',
          message: "the probe port answers the stack's control endpoints only",
        });
      });
      return [
        { service: 'app', server: ingress, url: env.urls.app, envVar: config.urlEnvVars.app },
        { service: 'probe', server: probe, url: shape.probeUrl },
      ];
    },
  };
}
