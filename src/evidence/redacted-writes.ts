import type { Redactor } from './redact.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Redacts whatever is written to a stream from now on, until the returned function puts the stream
 * back. The printing reporter (`list`, `line`, `dot`) copies a test's output to the console the
 * moment it arrives, before any reporter after it can touch it, and a CI log is published like any
 * artifact. Playwright's reporters write through `process.stdout.write` (or a stream that ends in
 * it), so this is the one place that sees every line. Bytes that are not UTF-8 text pass unchanged:
 * a chunk cut inside a character cannot be decoded, and is not text a secret was printed in.
 */
export function redactWrites(stream: NodeJS.WriteStream, redact: Redactor): () => void {
  const write = stream.write;
  const redacting = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    return (write as (...args: unknown[]) => boolean).call(this, redactedChunk(chunk, redact), ...rest);
  };
  stream.write = redacting as NodeJS.WriteStream['write'];
  return () => {
    // Only if nothing wrapped it after us: a later wrapper keeps working, and so do we inside it.
    if (stream.write === redacting) stream.write = write;
  };
}

function redactedChunk(chunk: unknown, redact: Redactor): unknown {
  if (typeof chunk === 'string') return redact(chunk);
  if (!(chunk instanceof Uint8Array)) return chunk;
  let text: string;
  try {
    text = utf8.decode(chunk);
  } catch {
    return chunk;
  }
  const redacted = redact(text);
  return redacted === text ? chunk : Buffer.from(redacted);
}
