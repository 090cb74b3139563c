import { expect, refuses, test } from './pack.gen.ts';
import { correlationId, expectNewTrace, expectTraceKept, MALFORMED_TRACEPARENTS, ROUTES } from './journey.ts';

type Echo = { service: string; headers: Record<string, string | null> };

test('each host and path reaches its intended service, and its access-log line says so', async ({
  api,
  pack,
  env,
  accessLog,
}) => {
  const header = env.correlationHeaders[0];
  for (const route of ROUTES) {
    const id = correlationId();
    const response = await api.get(pack.url(route.path), { headers: { [header]: id } });
    expect(response.status(), `${route.path} answers`).toBe(200);
    expect(((await response.json()) as Echo).service, `${pack.url(route.path)} is served by ${route.upstream}`).toBe(
      route.upstream,
    );
    const lines = await accessLog.find({ correlationId: id });
    expect(lines, `one access-log line for ${route.path} with correlation id ${id}`).toHaveLength(1);
    expect(lines[0]).toMatchObject({ upstream: route.upstream, status: 200, correlationId: id });
  }
});

test('a traceparent keeps its trace id and gets a new parent id, upstream and in the answer', async ({
  api,
  pack,
  traceContext,
}) => {
  const sent = traceContext.traceparent();
  const response = await api.get(pack.url('app-api-echo'), { headers: { traceparent: sent } });
  const proxy = expectTraceKept(traceContext, response, sent);
  const upstream = traceContext.parse(((await response.json()) as Echo).headers.traceparent);
  expect(upstream, 'the service behind the proxy received a valid traceparent').toBeTruthy();
  expect(upstream).toMatchObject({ traceId: traceContext.traceId, parentId: proxy.parentId });
});

test('malformed traceparents are not passed on unchanged', async ({ api, pack, traceContext }) => {
  for (const { kind, value } of MALFORMED_TRACEPARENTS) {
    const response = await api.get(pack.url('api-echo'), { headers: { traceparent: value } });
    const received = ((await response.json()) as Echo).headers.traceparent;
    expect.soft(received, `${kind}: not forwarded as sent`).not.toBe(value);
    expect.soft(traceContext.parse(received), `${kind}: the service got a valid traceparent instead`).toBeTruthy();
    expectNewTrace(traceContext, response, value);
  }
});

test('the correlation id round-trips and is in the access-log line of that request, with its trace', async ({
  api,
  pack,
  env,
  accessLog,
  traceContext,
}) => {
  const header = env.correlationHeaders[0];
  const id = correlationId();
  // An echo route, not a health check: this pack must not turn red when only a service's health is.
  const response = await api.get(pack.url('api-echo'), { headers: { [header]: id } });
  expect(response.headers()[header], 'the answer carries the correlation id sent').toBe(id);
  const lines = await accessLog.find({ correlationId: id });
  expect(lines, `the access log has the request with correlation id ${id}`).toHaveLength(1);
  expect(lines[0]).toMatchObject({ correlationId: id, traceId: traceContext.traceId, status: 200 });
});

// What the proxy itself must refuse: a host it does not serve, and an upgrade on a route that takes
// none. The access log proves the absence of the effect: the request reached no service.

test(
  'a host the proxy does not serve is refused and reaches no service',
  refuses('unknown-host'),
  async ({ api, pack, env, accessLog }) => {
    const header = env.correlationHeaders[0];
    const id = correlationId();
    const url = pack.url('app-echo');
    const refused = await api.get(url, { headers: { host: unknownHost(new URL(url)), [header]: id } });
    expect([404, 421], `HTTP ${refused.status()}`).toContain(refused.status());
    expect(await refused.text(), 'no service echoed the request').not.toContain('"service"');
    const lines = await accessLog.find({ correlationId: id });
    expect(lines, `the access log has the refused request ${id}`).toHaveLength(1);
    expect(lines[0].upstream, 'answered by the proxy, forwarded nowhere').toBe('proxy');
  },
);

test(
  'a websocket upgrade on a route that takes none is refused, never 101',
  refuses('upgrade-off-route'),
  async ({ sockets, pack, env, accessLog }) => {
    const handshake = await sockets.connect(pack.url('app-api-echo'), { signedIn: false });
    expect([400, 404], `HTTP ${handshake.status}`).toContain(handshake.status);
    expect(handshake.socket, 'no websocket opened').toBeFalsy();
    const id = handshake.headers[env.correlationHeaders[0]];
    expect(typeof id, 'the refusal carries its correlation id').toBe('string');
    const lines = await accessLog.find({ correlationId: id as string });
    expect(
      lines.map(l => l.upstream),
      'the api service never saw the upgrade',
    ).toEqual(['proxy']);
  },
);

/**
 * A host beside the app's that nobody serves: a sibling name where the app has one (over https the
 * certificate, often a wildcard for the parent domain, must still match), else a name below the IP.
 */
function unknownHost(url: URL): string {
  const { hostname, port } = url;
  const labels = hostname.split('.');
  const named = !/^[\d.]+$|^\[/.test(hostname) && labels.length > 2;
  const name = named ? ['packgate-unknown', ...labels.slice(1)].join('.') : `packgate-unknown.${hostname}`;
  return port ? `${name}:${port}` : name;
}
