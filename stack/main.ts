/**
 * Starts the embedded reference GPUaaS stack (platform proxy, IdP, app, api, notebook and terminal
 * services) for one environment:
 *   node stack/run.js --env local
 * (stack/run.js runs this module from a bundle of it: bin/run-bundled.js).
 * Exit codes: 0 stopped by SIGTERM/SIGINT or its owner's end (stack/owner.ts), 1 could not listen, 2 bad
 * arguments, catalogue or environment.
 */
import { parseArgs } from 'node:util';
import { findRoot, loadCatalogueOrThrow } from '../src/catalogue/load.ts';
import { PackgateError } from '../src/diagnostics/errors.ts';
import { stackFingerprint } from '../src/environment/fingerprint.ts';
import { resolveEnvironment } from '../src/environment/resolve.ts';
import { requestedFaults, stackSettings } from '../src/faults/faults.ts';
import { buildStackConfig, StackUsageError, type StackConfig } from './config.ts';
import { generateSigningKey } from './idp/signing-key.ts';
import { resolveLocalhostNames } from '../src/net/localhost-names.ts';
import { ISSUED_SECRETS_VAR, issuedSecretsFile, NOT_RECORDED } from './issued-secrets.ts';
import { whenOwnerGone } from './owner.ts';
import type { StackListenError } from './stack.ts';

const USAGE = 'usage: node stack/run.js --env <environment>';

async function main(): Promise<number> {
  keepServingWhenOutputCloses();
  // In deployment shape the app reaches the IdP by its *.localhost host name, through the ingress.
  resolveLocalhostNames();
  let envName: string | undefined;
  try {
    const { values } = parseArgs({
      options: { env: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(
        `${USAGE}\nStarts the reference stack (platform proxy, IdP, app, api, notebook, terminal) on the environment's ` +
          'loopback URLs; PACKGATE_STACK_FAULTS=id,id injects faults.\n',
      );
      return 0;
    }
    envName = values.env;
  } catch (error) {
    process.stderr.write(`packgate stack: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!envName) {
    process.stderr.write(`packgate stack: --env is required\n${USAGE}\n`);
    return 2;
  }

  let config: StackConfig;
  let issued = NOT_RECORDED;
  try {
    // Not the packs: a stack runs none of them, and whoever starts it for a run checked them.
    const catalogue = loadCatalogueOrThrow(findRoot(process.cwd()), { packs: false });
    const env = resolveEnvironment(catalogue, envName);
    const faults = requestedFaults(catalogue);
    config = buildStackConfig(catalogue, env, faults, stackFingerprint(env, faults, stackSettings()));
    const recordTo = process.env[ISSUED_SECRETS_VAR];
    if (recordTo) {
      if (env.stage !== 'dev')
        throw new StackUsageError(
          `${ISSUED_SECRETS_VAR} writes every credential the stack issues to a file; it is honoured only for ` +
            `stage dev, and environment "${env.name}" is stage ${env.stage}: unset it`,
        );
      issued = issuedSecretsFile(recordTo);
    }
  } catch (error) {
    if (error instanceof PackgateError || error instanceof StackUsageError) {
      process.stderr.write(`packgate stack: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  // Started first: the key is generated on libuv's thread pool while the main thread loads the
  // services below. A failure surfaces where the IdP is created.
  const signingKey = generateSigningKey();
  signingKey.catch(() => undefined);
  // Loaded only now: argument or catalogue errors should answer at once.
  const { startStack, StackListenError, BIND_HOST } = await import('./stack.ts');
  // Listened for before starting, so a stop requested mid-start still closes the servers and
  // exits 0, as Playwright's gracefulShutdown expects, instead of dying by the signal.
  const stopRequested = new Promise<void>(resolve => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
    whenOwnerGone(resolve);
  });
  let stack;
  try {
    stack = await startStack(config, { signingKey, issued });
  } catch (error) {
    if (!(error instanceof StackListenError)) throw error;
    process.stderr.write(listenFailure(config, error, BIND_HOST));
    return 1;
  }

  const { env, faults } = config;
  process.stdout.write(
    `packgate stack "${env.name}" ready: app ${env.urls.app}${env.urls.api ? `, api ${env.urls.api}` : ''}, ` +
      `idp ${env.urls.authIssuer}, faults: ${faults.length ? faults.join(', ') : 'none'}\n`,
  );

  stack.idpLoaded.catch((error: unknown) => {
    process.stderr.write(
      `packgate stack "${env.name}": the IdP could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });

  await stopRequested;
  // Whatever still holds the event loop after a second must not keep a test run waiting.
  setTimeout(() => process.exit(0), 1000).unref();
  await stack.close();
  return 0;
}

/**
 * Whoever read the stack's output may go before the stack does (`packgate stack start | head -1`):
 * the next log line then fails with EPIPE, which unheard ended the stack with a stack trace on the
 * first request after. The stack serves on, its lines unwritten (the access log stays in memory).
 */
function keepServingWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
}

function listenFailure({ env }: StackConfig, error: StackListenError, host: string): string {
  const what = { app: 'app (platform proxy)', api: 'API (platform proxy)', idp: 'IdP', probe: 'readiness probe' }[
    error.service
  ];
  const move = error.envVar
    ? `move it to a free port with ${error.envVar}=${exampleUrl(error.url)}`
    : `change its URL in ${env.file}`;
  if (error.code === 'EADDRINUSE')
    return (
      `packgate stack "${env.name}": cannot start the ${what} at ${error.url}: port ${error.port} on ${host} is already in use.\n` +
      `  Another packgate stack may be running there, possibly with other faults or secrets ` +
      `(its ready URL then answers 404 to this run), or another program holds the port.\n` +
      `  hint: stop that process, or ${move}\n`
    );
  return `packgate stack "${env.name}": cannot start the ${what} at ${error.url}: ${(error.cause as Error)?.message ?? error.code}\n  hint: ${move}\n`;
}

/** The URL with its port replaced by a placeholder, to show the shape the env var takes. */
function exampleUrl(url: string): string {
  return url.replace(/^(https?:\/\/[^/:]+)(:\d+)?/, '$1:<free-port>');
}

main().then(
  code => process.exit(code),
  error => {
    process.stderr.write(
      `packgate stack: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
