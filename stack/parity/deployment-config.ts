import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { FAULTS, type FaultSet } from '../fault-ids.ts';

/**
 * The stack's configuration as a deployment injects it: a ConfigMap and a Secret, mounted as env
 * files. They are rendered once at start from the environment's descriptor (as a Helm chart renders
 * its values), and every service reads its values from them, the IdP its registered callback
 * included. The parity faults are configuration mistakes, so they are made here, in the rendering.
 */
export type DeploymentFiles = { config: string; secrets: string };

/** What the rendering starts from: the environment's URLs and client, and the stack's secrets. */
export type DeploymentValues = {
  appUrl: string;
  apiUrl: string;
  notebooksUrl: string;
  issuer: string;
  clientId: string;
  redirectUri: string;
  clientSecret: string;
};

/** Values every service reads, by key, as they stand in the ConfigMap. */
export const CONFIG_KEYS = {
  appUrl: 'APP_URL',
  notebooksUrl: 'NOTEBOOKS_URL',
  issuer: 'OIDC_ISSUER_URL',
  clientId: 'OIDC_CLIENT_ID',
  redirectUri: 'OIDC_REDIRECT_URI',
  registeredRedirectUris: 'IDP_CLIENT_REDIRECT_URIS',
  cookieDomain: 'SESSION_COOKIE_DOMAIN',
  cookieSecure: 'SESSION_COOKIE_SECURE',
  kernelImage: 'NOTEBOOK_KERNEL_IMAGE',
  hsts: 'INGRESS_HSTS',
  notebooksService: 'INGRESS_NOTEBOOKS_SERVICE',
  clientSecret: 'OIDC_CLIENT_SECRET',
} as const;

const KERNEL_IMAGE = 'registry.gpuaas.localhost/notebooks/gpu-kernel:2026.11';
const HSTS = 'max-age=31536000; includeSubDomains';

/** Writes the ConfigMap (0644) and the Secret (0600) into `dir`, with the faults asked for. */
export function renderDeploymentFiles(dir: string, values: DeploymentValues, faults: FaultSet): DeploymentFiles {
  const registered = faults.has(FAULTS.callbackRegisteredHttp)
    ? values.redirectUri.replace(/^https:/, 'http:')
    : values.redirectUri;
  const config: Record<string, string | undefined> = {
    [CONFIG_KEYS.appUrl]: values.appUrl,
    [CONFIG_KEYS.notebooksUrl]: values.notebooksUrl,
    [CONFIG_KEYS.issuer]: values.issuer,
    [CONFIG_KEYS.clientId]: values.clientId,
    [CONFIG_KEYS.redirectUri]: values.redirectUri,
    [CONFIG_KEYS.registeredRedirectUris]: registered,
    // The app's hosts share the session: the api and notebooks hosts are siblings of the app's.
    [CONFIG_KEYS.cookieDomain]: parentDomain(values.appUrl),
    [CONFIG_KEYS.cookieSecure]: faults.has(FAULTS.sessionCookieInsecure) ? 'false' : 'true',
    [CONFIG_KEYS.kernelImage]: faults.has(FAULTS.configValueMissing) ? undefined : KERNEL_IMAGE,
    [CONFIG_KEYS.hsts]: faults.has(FAULTS.hstsMissing) ? undefined : HSTS,
    [CONFIG_KEYS.notebooksService]: faults.has(FAULTS.notebooksHostToApp) ? 'app' : 'notebook',
  };
  fs.mkdirSync(dir, { recursive: true });
  const files = { config: path.join(dir, 'gpuaas.env'), secrets: path.join(dir, 'secrets.env') };
  writeEnvFile(files.config, config, 0o644);
  writeEnvFile(files.secrets, { [CONFIG_KEYS.clientSecret]: values.clientSecret }, 0o600);
  return files;
}

/** A service's view of the mounted files, read when the service starts (a replica reads them afresh). */
export class MountedConfig {
  readonly #values: Record<string, string>;

  constructor(files: DeploymentFiles) {
    this.#values = { ...readEnvFile(files.config), ...readEnvFile(files.secrets) };
  }

  /** The values a service cannot start without, or the keys that are missing. */
  require<K extends string>(keys: readonly K[]): { values: Record<K, string> } | { missing: K[] } {
    const missing = keys.filter(key => !this.#values[key]);
    if (missing.length) return { missing };
    return { values: Object.fromEntries(keys.map(key => [key, this.#values[key]])) as Record<K, string> };
  }

  optional(key: string): string | undefined {
    return this.#values[key] || undefined;
  }
}

/** Why a service is not ready, as its readiness probe says it. */
export function missingConfiguration(service: string, missing: readonly string[]): string {
  return `the ${service} service is missing required configuration ${missing.join(', ')} (not in the mounted gpuaas.env or secrets.env)`;
}

function writeEnvFile(file: string, values: Record<string, string | undefined>, mode: number): void {
  const lines = Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode });
  // writeFileSync's mode applies only to a new file: a file left by an earlier start keeps its own.
  fs.chmodSync(file, mode);
}

function readEnvFile(file: string): Record<string, string> {
  return parseEnv(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

/** `app.gpuaas.localhost` -> `gpuaas.localhost`; a bare host (no parent to share) gives none. */
function parentDomain(url: string): string | undefined {
  const labels = new URL(url).hostname.split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : undefined;
}
