import { PLACEHOLDER } from '../schema/placeholder.ts';

export { PLACEHOLDER };

/** The placeholder names of a template, each once, in order of first appearance. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map(match => match[1]))];
}
