import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { TempProject } from '../helpers/temp-project.ts';
import { listeningUrl, stopTestServer } from '../helpers/test-server-process.ts';

/**
 * `playwright test-server`, which VS Code's extension starts, driven over its own protocol (JSON over
 * a websocket: `{ id, method, params }`, answered `{ id, result | error }`) as the extension drives it:
 * it imports the config once, then runs tests many times.
 */

/** A signed-in test of local-api (auth-session's): it needs the local-sign-in setup's session. */
const SIGNED_IN = 'packs/auth-session/api.spec.ts';

test('a VS Code session runs a signed-in test again and again on the one config it loaded', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const project = await TempProject.create(testInfo);
  const server = project.start([
    path.join(project.dir, 'node_modules/@playwright/test/cli.js'),
    'test-server',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
  ]);
  try {
    const connection = await connect(await listeningUrl(server, 'ws'));
    await connection.call('initialize', { closeOnDisconnect: true });
    await connection.call('runGlobalSetup', {}); // the extension's start: the stack comes up
    // Its setup not selected, a signed-in test says what to check (not "--no-deps", which VS Code has not).
    await connection.call('runTests', { projects: ['local-api'], locations: [SIGNED_IN] });
    expect(connection.failures.join('\n')).toContain(
      'in UI mode (or VS Code), check "local-sign-in" beside "local-api" in the Projects list',
    );
    // With it, the session's next run, and the one after: before, the first run's reporter removed the
    // shared plan, and every later run of the session failed on ENOENT .packgate/runs/<id>/plan.json.
    const run = { projects: ['local-api', 'local-sign-in'], locations: [SIGNED_IN] };
    for (const round of ['second', 'third']) {
      connection.failures.length = 0;
      const result = await connection.call('runTests', run);
      expect(connection.failures, `${round} run`).toEqual([]);
      expect(result, `${round} run`).toEqual({ status: 'passed' });
    }
    await connection.call('runGlobalTeardown', {});
    connection.close();
    await stopTestServer(server.child.pid!, server.done, project.dir);
    expect(fs.readdirSync(path.join(project.dir, '.packgate/runs')), 'the session scratch goes with it').toEqual([]);
  } finally {
    await stopTestServer(server.child.pid!, server.done, project.dir);
  }
});

type Message = { id?: number; result?: unknown; error?: string; method?: string; params?: ReportEvent };
type ReportEvent = { method: string; params: { result?: { status: string; errors?: Array<{ message?: string }> } } };

/** A client of the test server: calls answered in order, and every failed test's first error line. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const pending = new Map<number, (message: Message) => void>();
  const failures: string[] = [];
  ws.on('message', data => {
    const message = JSON.parse(String(data)) as Message;
    if (message.id !== undefined) return pending.get(message.id)?.(message);
    const event = message.method === 'report' ? message.params : undefined;
    const result = event?.method === 'onTestEnd' ? event.params.result : undefined;
    if (result && result.status !== 'passed' && result.status !== 'skipped')
      failures.push(`${result.status}: ${result.errors?.[0]?.message ?? ''}`);
  });
  let last = 0;
  return {
    failures,
    async call(method: string, params: unknown): Promise<unknown> {
      const id = ++last;
      const answer = await new Promise<Message>(resolve => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
      if (answer.error) throw new Error(`${method}: ${answer.error}`);
      return answer.result;
    },
    close: () => ws.close(),
  };
}
