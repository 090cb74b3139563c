/**
 * `text` as a regular expression that matches exactly it: project names, personas, environment
 * names, a secret's forms in redaction. `/` is escaped too, so the source also fits a RegExp literal.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
