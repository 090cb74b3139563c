/**
 * What a connection says when its client closed or reset it: EPIPE and ECONNRESET on the next write
 * or read, ECONNABORTED, and HPE_INVALID_EOF_STATE (Node's parser: the request ended before its body).
 */
const HANG_UP_CODES: ReadonlySet<string> = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED', 'HPE_INVALID_EOF_STATE']);

/**
 * Whether an error is the client having gone away (a browser closing a tab or a websocket, a test
 * aborting a request): normal traffic, not a failure to log. Only while the client's connection is
 * indeed closed, so a reset from an upstream with the client still there is still reported.
 */
export function isClientHangUp(error: unknown, client: { readonly destroyed: boolean } | undefined): boolean {
  const code = (error as NodeJS.ErrnoException | null | undefined)?.code;
  return !!client?.destroyed && code !== undefined && HANG_UP_CODES.has(code);
}
