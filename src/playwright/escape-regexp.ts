/** `text` as a regular expression that matches exactly it: project names, personas, environment names. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
