import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Redactor } from '../evidence/redact.ts';
import { REDACTED } from '../evidence/redacted.ts';

/**
 * A watched command's log file, written redacted line by line as the output comes: the raw output
 * never reaches the disk, not even while the command runs or when the watcher is killed. A private
 * key's armoured body, many lines long, is held back until its END line and written as one
 * `[REDACTED]`. The whole log is redacted once more when the command ends (patterns over several
 * lines); this is what keeps a log left behind by a killed watcher clean.
 */
export class RedactingLog {
  private readonly stream: fs.WriteStream;
  // Each stream's lines are put together on their own: stdout is block-buffered in a pipe, so its chunks
  // end mid-line while stderr prints whole lines; sharing one line would cut a stdout line (and a secret
  // in it) in two around a stderr line, each half past redaction, and one decoder would mix their bytes.
  private readonly lines = { stdout: new LineState(), stderr: new LineState() };

  constructor(
    file: string,
    private readonly redact: Redactor,
  ) {
    // Opened now, not as the stream gets to it: a log that cannot be created (a folder in its place, a
    // folder packgate cannot write) throws here, before the command starts, and not later as an
    // 'error' event nobody listens to (a crash, with the command already running).
    this.stream = fs.createWriteStream(file, { fd: fs.openSync(file, 'w', 0o600) });
  }

  write(chunk: Buffer, from: LogStream): void {
    const state = this.lines[from];
    const text = state.decoder.write(chunk);
    // Only the new text is split: a line that goes on for megabytes (binary output, no newline) is
    // not scanned again with every chunk.
    if (!text.includes('\n')) {
      state.pending += text;
      return;
    }
    const lines = text.split('\n');
    lines[0] = state.pending + lines[0];
    state.pending = lines.pop()!;
    for (const line of lines) this.writeLine(state, line, '\n');
  }

  end(done: () => void): void {
    for (const state of Object.values(this.lines)) {
      state.pending += state.decoder.end();
      if (state.pending) this.writeLine(state, state.pending, '');
      state.pending = '';
      if (state.inKey) this.stream.write(`${REDACTED}\n`);
    }
    this.stream.end(done);
  }

  private writeLine(state: LineState, line: string, eol: string): void {
    if (state.inKey) {
      if (!KEY_END.test(line)) return;
      state.inKey = false;
      this.stream.write(`${REDACTED}\n`);
    } else if (KEY_BEGIN.test(line) && !KEY_END.test(line)) {
      state.inKey = true;
    }
    this.stream.write(this.redact(line) + eol);
  }
}

/** The output streams of a watched command. */
export type LogStream = 'stdout' | 'stderr';

/** One stream's line being put together, and whether it is inside a private key's armoured body. */
class LineState {
  pending = '';
  inKey = false;
  // A pipe's chunks end where they end, often inside a character of several bytes (a '€', a CJK
  // line): the decoder keeps those bytes for the next chunk, where decoding each chunk alone would
  // store two U+FFFD in its place.
  readonly decoder = new StringDecoder('utf8');
}

const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
