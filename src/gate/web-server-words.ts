import { stripAnsi } from '../diagnostics/first-line.ts';

/**
 * How many of a server's last stderr lines are kept: enough for a message and its hint, or a Node
 * crash's error with its trace, its fields and its cause (twenty lines did not hold a port taken).
 */
const KEPT = 200;

/**
 * What the run's web servers (the stacks) said on stderr, so that Playwright's "Process from
 * config.webServer was not able to start. Exit code: 1" in the verdict says why: the stack's own
 * message, e.g. which port was in use and which variable moves it. Playwright hands a reporter
 * these lines without a test, each prefixed with the server's name: `[stack:local] ...`.
 */
export class WebServerWords {
  private readonly lines = new Map<string, string[]>();
  private last: string | undefined;

  /** A chunk of stderr the reporter got without a test. */
  take(chunk: string | Buffer): void {
    for (const line of stripAnsi(chunk.toString()).split('\n')) {
      const match = /^\[([^\]]+)\] (.*)$/.exec(line);
      if (!match) continue;
      const [, server, words] = match;
      const kept = this.lines.get(server) ?? [];
      kept.push(words);
      if (kept.length > KEPT) kept.shift();
      this.lines.set(server, kept);
      this.last = server;
    }
  }

  /**
   * A run error about a web server, with what the server that wrote last said: a crash's error
   * line, else its last message (the last unindented line, not a stack frame) and the hint after it.
   * Any other error as it is.
   */
  explain(error: string): string {
    if (!/config\.webServer/.test(error) || !this.last) return error;
    const lines = this.lines.get(this.last)!;
    const head = crashLine(lines) ?? lines.findLastIndex(l => l.trim() && !/^\s/.test(l) && !/^Node\.js v\d/.test(l));
    if (head < 0) return error;
    const hint = lines
      .slice(head + 1)
      .map(l => l.trim())
      .find(l => l.startsWith('hint:'));
    return `${error}; ${this.last} said: ${lines[head].trim()}${hint ? ` (${hint})` : ''}`;
  }
}

/**
 * The line of an uncaught error, by index, where Node printed one: the first line after the
 * throwing source line and the caret under it. What follows it (the trace, the error's fields in
 * braces, its cause, Node's version) is no message.
 */
function crashLine(lines: readonly string[]): number | undefined {
  const caret = lines.findLastIndex(l => /^\s*\^+\s*$/.test(l));
  const error = caret < 0 ? -1 : lines.findIndex((l, i) => i > caret && l.trim());
  return error < 0 ? undefined : error;
}
