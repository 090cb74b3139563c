import tls from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * fetch that trusts the stack's own CA besides the system's, for the services' calls to each other
 * through the ingress (the app's back channel to the IdP). Node reads NODE_EXTRA_CA_CERTS only at
 * start, before this process has made its CA, so the CA is given to undici's connector instead.
 */
export function trustingFetch(caPem: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca: [...tls.rootCertificates, caPem] } });
  return ((input: string | URL, init?: Record<string, unknown>) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
}
