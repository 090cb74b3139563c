import { expect, test } from '@playwright/test';
import { displayUrl } from '../../src/store/open.ts';

test('a store URL is shown with its password masked, whatever its form', () => {
  expect(displayUrl('postgresql://agent:s3cret@db.internal:5432/queue')).toBe(
    'postgresql://agent:***@db.internal:5432/queue',
  );
  expect(displayUrl('postgresql://agent:s3cret@/queue?host=/run/pg')).toBe(
    'postgresql://agent:***@/queue?host=/run/pg',
  );
  expect(displayUrl('postgres://db/queue?user=agent&password=s3cret&sslmode=require')).toBe(
    'postgres://db/queue?user=agent&password=***&sslmode=require',
  );
  expect(displayUrl('postgresql://agent@db/queue')).toBe('postgresql://agent@db/queue');
});

test('a password a URL cannot hold unencoded is masked whole: the message saying the URL is invalid reaches verdicts', () => {
  // Before: shown as typed, or its tail after the first "@".
  expect(displayUrl('postgresql://agent:pa/ss@db:5432/queue')).toBe('postgresql://agent:***@db:5432/queue');
  expect(displayUrl('postgresql://agent:pa?ss@db/queue')).toBe('postgresql://agent:***@db/queue');
  expect(displayUrl('postgresql://agent:pa#ss@db/queue')).toBe('postgresql://agent:***@db/queue');
  expect(displayUrl('postgresql://agent:p@ss@db/queue')).toBe('postgresql://agent:***@db/queue');
  expect(displayUrl('postgresql://db/queue?sslpassword=k3y&password=s3cret')).toBe(
    'postgresql://db/queue?sslpassword=***&password=***',
  );
  // No password: nothing to mask, an "@" in the user name or none at all.
  expect(displayUrl('postgresql://db:5432/queue')).toBe('postgresql://db:5432/queue');
  expect(displayUrl('postgresql://agent@/queue?host=/run/pg')).toBe('postgresql://agent@/queue?host=/run/pg');
});

test('a store setting that is no URL (libpq keywords, a URL missing its slashes) is shown with its password masked too', () => {
  // Before: shown whole, in the message refusing it: "... is no URL (host=db user=agent password=s3cret dbname=queue)".
  expect(displayUrl('host=db user=agent password=s3cret dbname=queue')).toBe(
    'host=db user=agent password=*** dbname=queue',
  );
  expect(displayUrl("host=db password = 's3 \\' cret' dbname=queue")).toBe('host=db password = *** dbname=queue');
  expect(displayUrl('password=s3cret host=db')).toBe('password=*** host=db');
  expect(displayUrl('postgresql:/agent:s3cret@db/queue')).toBe('postgresql:***@db/queue');
  expect(displayUrl('postgresql:agent:s3cret@db/queue')).toBe('postgresql:***@db/queue');
  expect(displayUrl('agent:s3cret@db:5432/queue')).toBe('agent:***@db:5432/queue');
  // Nothing taken for a password that is none.
  expect(displayUrl('host=db user=agent dbname=queue')).toBe('host=db user=agent dbname=queue');
  expect(displayUrl('mysql://root@db/queue')).toBe('mysql://root@db/queue');
});
