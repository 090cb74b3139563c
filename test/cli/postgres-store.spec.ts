import net from 'node:net';
import { expect } from '@playwright/test';
import { EXAMPLE_ENV, EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';

test.use({ adapter: 'postgres' });

test('PACKGATE_STORE_URL selects the shared PostgreSQL store: packets and tasks go there, no SQLite file', async ({
  storeLocation,
}, testInfo) => {
  if (storeLocation.kind !== 'postgres') throw new Error('expected a PostgreSQL store');
  const project = await TaskProject.create(testInfo, { git: false });
  const env = { PACKGATE_STORE_URL: storeLocation.url };
  const made = await project.make('agent-context-packet', { ...EXAMPLE_ENV, ...env });
  expect(made.exitCode, made.output).toBe(0);
  const list = await project.packgate(['task', 'list'], env);
  expect(list.stdout).toContain(`${EXAMPLE_TASK}  ready`);
  expect(project.storeSnapshot()).toBe('no store');
  const elsewhere = await project.packgate(['task', 'list']);
  expect(elsewhere.stdout).toBe('no tasks match\n');
});

test('an unreachable PostgreSQL store is named without its password, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const result = await project.packgate(['task', 'list'], {
    PACKGATE_STORE_URL: `postgresql://agent:s3cret-pw@/queue?host=${encodeURIComponent(testInfo.outputPath('no-socket'))}&port=5432`,
  });
  expect(result.stderr).toMatch(
    /^packgate: cannot connect to the queue store postgresql:\/\/agent:\*\*\*@\/queue\?host=.*: /,
  );
  expect(result.stderr).not.toContain('s3cret-pw');
  expect(result.exitCode).toBe(2);
});

test('a PostgreSQL server that never answers is given up after connect_timeout, exit 2, saying how to wait longer', async ({}, testInfo) => {
  // Accepts the connection and says nothing: a server that hangs, or a proxy in front of a dead one.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer(socket => sockets.add(socket));
  await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  try {
    const project = await TaskProject.create(testInfo, { git: false });
    const url = `postgresql://agent@127.0.0.1:${port}/queue`;
    const result = await project.packgate(['task', 'list'], { PACKGATE_STORE_URL: `${url}?connect_timeout=1` });
    expect(result.stderr).toContain(
      `packgate: cannot connect to the queue store ${url}?connect_timeout=1: no answer within 1 s`,
    );
    expect(result.stderr).toContain('connect_timeout=<seconds> in the URL');
    expect(result.exitCode).toBe(2);
    expect(sockets.size, 'it did reach the server').toBeGreaterThan(0);

    const unreadable = await project.packgate(['task', 'list'], { PACKGATE_STORE_URL: `${url}?connect_timeout=soon` });
    expect(unreadable.stderr).toContain('connect_timeout=soon is not a whole number of seconds');
    expect(unreadable.exitCode).toBe(2);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise(resolve => silent.close(resolve));
  }
});
