/**
 * What a file or archive entry holds, told by its first bytes, never by its name: traces keep
 * request bodies as `resources/<sha1>.dat`, attachments keep whatever name a test gave them, and a
 * zip inside a zip is named anything.
 */
export type ContentKind =
  | { kind: 'empty' }
  | { kind: 'zip' }
  | { kind: 'gzip' }
  /** Media and fonts: nothing in them is text a secret could be read from (password fields render masked). */
  | { kind: 'binary'; format: string }
  | { kind: 'text'; text: string }
  /** Neither known binary nor UTF-8 text: it may hold a secret in a form the redactor cannot read. */
  | { kind: 'unreadable'; why: string };

const MAGIC: Array<[format: string, test: (b: Uint8Array) => boolean]> = [
  ['png', b => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['jpeg', b => startsWith(b, [0xff, 0xd8, 0xff])],
  ['gif', b => ascii(b, 0, 4) === 'GIF8'],
  ['webp', b => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP'],
  ['wav', b => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE'],
  ['bmp', b => ascii(b, 0, 2) === 'BM' && b.length >= 26 && b[6] === 0 && b[7] === 0 && b[8] === 0 && b[9] === 0],
  ['ico', b => startsWith(b, [0x00, 0x00, 0x01, 0x00])],
  // ISO base media (mp4, mov, avif, heic): a box size, then "ftyp".
  ['iso-media', b => ascii(b, 4, 8) === 'ftyp'],
  ['webm', b => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])],
  ['ogg', b => ascii(b, 0, 4) === 'OggS'],
  ['mp3', b => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)],
  ['woff', b => ascii(b, 0, 4) === 'wOFF'],
  ['woff2', b => ascii(b, 0, 4) === 'wOF2'],
  ['ttf', b => startsWith(b, [0x00, 0x01, 0x00, 0x00])],
  ['otf', b => ascii(b, 0, 4) === 'OTTO'],
  ['wasm', b => startsWith(b, [0x00, 0x61, 0x73, 0x6d])],
];

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function contentKind(bytes: Uint8Array): ContentKind {
  if (!bytes.length) return { kind: 'empty' };
  // PK\3\4 (a zip with entries) or PK\5\6 (an empty zip's end record).
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && bytes[3] === bytes[2] + 1)
    return { kind: 'zip' };
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return { kind: 'gzip' };
  for (const [format, test] of MAGIC) if (bytes.length >= 4 && test(bytes)) return { kind: 'binary', format };
  if (bytes.includes(0)) return { kind: 'unreadable', why: 'binary content of no known media type' };
  try {
    return { kind: 'text', text: utf8.decode(bytes) };
  } catch {
    return { kind: 'unreadable', why: 'neither UTF-8 text nor a known media type' };
  }
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
