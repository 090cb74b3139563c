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
