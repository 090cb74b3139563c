import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';

test.describe.configure({ timeout: 120_000 });

const HINT =
  '  hint: give a PostgreSQL URL: postgresql://user:password@host:5432/database (or postgres://...), ' +
  'or postgresql://user@/database?host=/run/postgresql; a SQLite store is a file (store.path in packgate.yaml)\n';

test('a store URL of another scheme (mysql://) is refused, naming the setting it came from; exit 2, nothing made', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const mysql = 'mysql://root:s3cret-pw@127.0.0.1:1/queue';

  const fromEnv = await project.packgate(['task', 'list'], { PACKGATE_STORE_URL: mysql });
  expect(fromEnv.exitCode).toBe(2);
  expect(fromEnv.stderr).toBe(
    'packgate: the env var PACKGATE_STORE_URL is a mysql: URL (mysql://root:***@127.0.0.1:1/queue): ' +
      'the queue store is PostgreSQL or a SQLite file\n' +
      HINT,
  );
  expect(project.storeSnapshot()).toBe('no store');

  // libpq's keyword form is no URL either; its password is masked as a URL's. Before: printed as given.
  const keywords = await project.packgate(['task', 'list'], {
    PACKGATE_STORE_URL: 'host=db user=agent password=s3cret-pw dbname=queue',
  });
  expect(keywords.exitCode).toBe(2);
  expect(keywords.stderr).toBe(
    'packgate: the env var PACKGATE_STORE_URL is no URL (host=db user=agent password=*** dbname=queue): ' +
      'the queue store is PostgreSQL or a SQLite file\n' +
      HINT,
  );

  // A URL missing its // reads as a URL of its user name's scheme: "an agent: URL", not "a agent: URL".
  const slashless = await project.packgate(['task', 'list'], { PACKGATE_STORE_URL: 'agent:s3cret-pw@db/queue' });
  expect(slashless.stderr).toContain('PACKGATE_STORE_URL is an agent: URL (agent:***@db/queue)');

  // The env var packgate.yaml names is named with where it is named.
  project.write({
    'packgate.yaml': project
      .read('packgate.yaml')
      .replace('store: { path: .packgate/queue.db }', 'store: { path: .packgate/queue.db, url_env: TEAM_STORE_URL }'),
  });
  const named = await project.json<{ error: { code: string; message: string } }>(['task', 'list'], {
    TEAM_STORE_URL: 'sqlite:///tmp/queue.db',
  });
  expect(named.result.exitCode).toBe(2);
  expect(named.body.error).toMatchObject({
    code: 'INPUT_INVALID',
    message:
      'the env var TEAM_STORE_URL (named by store.url_env in packgate.yaml) is a sqlite: URL (sqlite:///tmp/queue.db): ' +
      'the queue store is PostgreSQL or a SQLite file',
  });

  const flag = await project.packgate(['dashboard', '--port', '0', '--store', mysql]);
  expect(flag.exitCode).toBe(2);
  expect(flag.stderr).toBe(
    'packgate: --store is a mysql: URL (mysql://root:***@127.0.0.1:1/queue): the queue store is PostgreSQL or a SQLite file\n' +
      HINT,
  );
  expect(project.storeSnapshot()).toBe('no store');
});

test('a PostgreSQL URL pg cannot parse (an unencoded "/" in its password) is bad input naming the fix; exit 2, nothing made', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const listed = await project.packgate(['task', 'list'], {
    PACKGATE_STORE_URL: 'postgresql://agent:pa/ss@127.0.0.1:1/queue?connect_timeout=2',
  });
  // Before: "cannot connect to the queue store ...: Invalid URL", and to check the server.
  expect(listed.stderr).toBe(
    'packgate: the queue store URL postgresql://agent:***@127.0.0.1:1/queue?connect_timeout=2 is not a valid URL\n' +
      '  hint: percent-encode what a URL reserves in the user name and password (/ ? # @ : [ ] as %2F %3F %23 %40 %3A %5B %5D), ' +
      'e.g. postgresql://agent:pa%2Fss@db.internal:5432/queue\n',
  );
  expect(listed.exitCode).toBe(2);
  expect(project.storeSnapshot()).toBe('no store');
});
