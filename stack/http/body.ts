import type { IncomingMessage } from 'node:http';

/** A request body the stack cannot use; the handler answers 400 with this message. */
export class BodyError extends Error {
  override name = 'BodyError';
}

/** Reads a small body whole; larger bodies are refused rather than buffered. */
async function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new BodyError(`the request body is larger than ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a small urlencoded form body. */
export async function readForm(req: IncomingMessage, limitBytes = 16 * 1024): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req, limitBytes));
}

/** Reads a small JSON object body; anything else (bad JSON, an array, a string) is a BodyError. */
export async function readJsonObject(req: IncomingMessage, limitBytes = 16 * 1024): Promise<Record<string, unknown>> {
  const text = await readBody(req, limitBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BodyError('the request body is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new BodyError('the request body must be a JSON object');
  return value as Record<string, unknown>;
}
