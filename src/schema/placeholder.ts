/**
 * A `{name}` placeholder of a pack's path or selector (`/items/{id}`). One pattern for the
 * fixture that fills them, the types generated for pack authors, lint and the path schema, so all agree.
 */
export const PLACEHOLDER = /\{([a-z][a-z0-9_-]*)\}/gi;

/**
 * A brace of `template` that is part of no placeholder (`{{id}}`, `{ id }`, `{id`), if any: the
 * fixture would leave it in the URL as it is, never filled. Undefined where every brace is a placeholder's.
 */
export function strayBrace(template: string): string | undefined {
  // Every run of braces with what they enclose, as written: a placeholder is exactly one `{name}`.
  return template.match(/\{+[^{}]*\}*|\}+/g)?.find(braced => !ONE_PLACEHOLDER.test(braced));
}

const ONE_PLACEHOLDER = new RegExp(`^${PLACEHOLDER.source}$`, 'i');
