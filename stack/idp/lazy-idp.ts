import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { generateSigningKey } from './signing-key.ts';
import type { IdpOptions } from './idp.ts';

export type LazyIdp = {
  /** The IdP's request listener, at once: a request that comes before the IdP has loaded waits for it. */
  listener: RequestListener;
  /** Settles once the IdP has loaded: rejected, with why, if it cannot start. */
  loaded: Promise<void>;
};

/**
 * The IdP, loaded while the stack already listens. Its library (oidc-provider, with koa) is the
 * slowest part of the stack to load, about 0.3 s of its start; in a gate, the first request to the
 * IdP comes only after Playwright has loaded the tests and started its workers, by when it has long
 * loaded. The signing key is generated meanwhile, on libuv's thread pool.
 */
export function lazyIdp(
  options: Omit<IdpOptions, 'signingKey'>,
  signingKey: Promise<Record<string, unknown>> = generateSigningKey(),
): LazyIdp {
  const ready = Promise.all([withoutRuntimeNotice(() => import('./idp.ts')), signingKey]).then(([idp, key]) =>
    idp.createIdp({ ...options, signingKey: key }),
  );
  const loaded = ready.then(() => undefined);
  // Whoever holds the stack hears of a failure through `loaded`; a request meanwhile gets a 503.
  loaded.catch(() => undefined);
  const listener = (req: IncomingMessage, res: ServerResponse) =>
    void ready.then(
      handle => handle(req, res),
      () => {
        res.statusCode = 503;
        res.end();
      },
    );
  return { listener, loaded };
}

/**
 * oidc-provider 9 warns on every start under Node 20, which packgate supports and tests (package.json
 * engines, README): a line in every gate's output that reads like a problem and is not one. That one
 * line is dropped while the library loads; any other warning passes.
 */
async function withoutRuntimeNotice<T>(load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}
