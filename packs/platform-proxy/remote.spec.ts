// What a deployed proxy must answer, seen from outside: no access log or service internals needed.
// The routes used are the ones every deployment has: the app's and the API's health checks.
import { expect, test } from './pack.gen.ts';
import { correlationId, expectNewTrace, expectTraceKept, MALFORMED_TRACEPARENTS } from './journey.ts';

for (const path of ['app-health', 'api-health'] as const) {
  test(`${path}: the answer carries the correlation id sent and the same trace`, async ({
    api,
    pack,
    env,
    traceContext,
  }) => {
    const header = env.correlationHeaders[0];
    const id = correlationId();
    const sent = traceContext.traceparent();
    const response = await api.get(pack.url(path), { headers: { [header]: id, traceparent: sent } });
    // Whatever the service behind it answers (its health is demo-deploy's business), the proxy's
    // headers must be on the answer.
    expect(response.headers()[header]).toBe(id);
    expectTraceKept(traceContext, response, sent);
  });
}

test('a malformed traceparent starts a new trace', async ({ api, pack, traceContext }) => {
  for (const { value } of MALFORMED_TRACEPARENTS)
    expectNewTrace(traceContext, await api.get(pack.url('api-health'), { headers: { traceparent: value } }), value);
});
