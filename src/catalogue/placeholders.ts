/**
 * A `{name}` placeholder of a pack's path or selector (`/items/{id}`). One pattern for the
 * fixture that fills them, the types generated for pack authors and lint, so all three agree.
 */
export const PLACEHOLDER = /\{([a-z][a-z0-9_-]*)\}/gi;

/** The placeholder names of a template, each once, in order of first appearance. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map(match => match[1]))];
}
