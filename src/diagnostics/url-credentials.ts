/**
 * A URL's user name and password (`https://user:password@host`) as `***`, wherever a message quotes
 * the URL: a descriptor or env var may carry credentials in one (a proxy's, a basic-auth
 * deployment's, a token as the user name), and a terminal, a `--json` answer and a CI log are no
 * place for them. PackgateError, the located problems and every `--json` answer pass through it.
 * A quote ends the user part, so a URL in a JSON text never reaches past its own string.
 */
export function hideUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'`<>]+@/gi, '$1***@');
}
