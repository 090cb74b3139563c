import type { IncomingMessage } from 'node:http';

/** Reads a small urlencoded form body; larger bodies are refused rather than buffered. */
export async function readForm(req: IncomingMessage, limitBytes = 16 * 1024): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new Error(`form body larger than ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
