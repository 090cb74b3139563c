/**
 * A value as one shell word: left bare when it holds nothing the shell reads, else single-quoted.
 * What fills a command template (a job id from a CI API, a path) is data, never shell code.
 */
export function shellQuote(value: string): string {
  return /^[\w./@%+=:,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
