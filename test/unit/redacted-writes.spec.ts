import { PassThrough } from 'node:stream';
import { expect, test } from '@playwright/test';
import { createRedactor } from '../../src/evidence/redact.ts';
import { redactWrites } from '../../src/evidence/redacted-writes.ts';

test('what is written is redacted, strings and UTF-8 bytes alike, until the stream is put back', () => {
  const stream = new PassThrough();
  const restore = redactWrites(stream as unknown as NodeJS.WriteStream, createRedactor(['s3cret-value']));
  stream.write('token s3cret-value\n');
  stream.write(Buffer.from('bytes s3cret-value ü\n'));
  // Not UTF-8 (a chunk cut inside a character): passed as it is.
  const cut = Buffer.from([0x61, 0xc3]);
  stream.write(cut);
  restore();
  stream.write('after s3cret-value\n');
  expect(stream.read().toString('latin1')).toBe(
    'token [REDACTED]\n' + Buffer.from('bytes [REDACTED] ü\n').toString('latin1') + 'a\xc3after s3cret-value\n',
  );
});
