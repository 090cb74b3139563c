/** The line a person needs: the error's own words without "Error: " and colour codes, and its hint if it has one. */
export function firstLine(message: string): string {
  const lines = stripAnsi(message)
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);
  const head = (lines[0] ?? '').replace(/^(Error|SignInError|PackgateError|TypeError):\s*/, '');
  return lines[1]?.startsWith('hint:') ? `${head} (${lines[1]})` : head;
}

/** firstLine of whatever was thrown: an error's message, or the value itself. */
export function errorLine(error: unknown): string {
  return firstLine(String((error as Error)?.message ?? error));
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
