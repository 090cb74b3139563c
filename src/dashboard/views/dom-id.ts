/**
 * An id attribute made of a prefix and names (an environment's, a pack's): the same names give the
 * same id on every render, different names different ids. Letters, digits and `-` are kept; every
 * other character is written as `_<hex code>_`, so `a.b` is `a_2e_b` and `a_b` is `a_5f_b` (replacing
 * both by `_` made them one id); names are joined by `.`, which no written name holds. A kebab-case
 * name, as the catalogue's are, reads as itself: `env-local`, `trend-local.auth-session`.
 */
export function domId(prefix: string, ...names: string[]): string {
  return `${prefix}-${names.map(name => name.replace(/[^A-Za-z0-9-]/g, c => `_${c.charCodeAt(0).toString(16)}_`)).join('.')}`;
}
