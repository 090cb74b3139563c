/**
 * HTML with escaping by construction: `html` is a tagged template whose every interpolated value is
 * escaped unless it is itself `Html` made by `html`. A page is `Html`, never a string put together
 * by hand, so a task title, a reason or a file name can only ever reach the page as text.
 *
 * Chosen over a template engine (EJS, Handlebars: opt-in escaping, a second syntax, a dependency)
 * and over JSX (a build step): sixty lines, and the type system refuses a raw string where Html is due.
 */
const BRAND: unique symbol = Symbol('html');

export type Html = { readonly [BRAND]: true; readonly text: string };

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeText(value: string): string {
  return value.replace(/[&<>"'`]/g, c => ENTITIES[c]);
}

function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && (value as Html)[BRAND] === true;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (isHtml(value)) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeText(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let text = strings[0];
  values.forEach((value, i) => (text += render(value) + strings[i + 1]));
  return { [BRAND]: true, text };
}

/**
 * A URL for an href or src: only our own paths (`/...`, not `//host`) and http(s) pass; anything
 * else (`javascript:`, `data:`) becomes `#`. Escaped as an attribute when interpolated.
 */
export function safeUrl(url: string): string {
  if (/^\/(?!\/)/.test(url)) return url;
  if (/^https?:\/\//i.test(url)) return url;
  return '#';
}

/** A path with query parameters, each encoded; empty values are left out. */
export function href(pathname: string, query: Record<string, string | number | undefined | null> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `${pathname}?${search}` : pathname;
}
