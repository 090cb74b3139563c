import { nearest } from '../diagnostics/nearest.ts';
import { html, href, type Html } from './html.ts';

/**
 * The filters of an empty page whose value names nothing the store holds, said one a line, and the
 * same page filtered by the values a typo away from them, when any is.
 */
export type UnknownFilters = { messages: string[]; meant: { label: string; path: string } | null };

/** Known values are listed when this few: a store's task ids are not. */
const LISTED = 12;

/**
 * The values the store holds for one filter, and where they are found ("among the recorded gate
 * runs"); `accepted`: values the filter takes that are no typo's meaning (the queue's `-`, no lane).
 */
export type KnownValues = { values: readonly string[]; where: string; accepted?: readonly string[] };

/**
 * The filters of an empty page whose value names nothing the store holds (`environment=dmo`), each
 * said with the known value a typo away, and one link to the page with every such value put right,
 * as `packgate task list --lane` answers a misspelt lane: an empty page alone reads as "nothing was
 * recorded there". `query` is the page's filters (not its offset: the link opens the first page);
 * `known`, per filter checked, what the store holds for it.
 */
export function unknownFilters(
  page: string,
  query: Record<string, string | undefined>,
  known: Partial<Record<string, KnownValues>>,
): UnknownFilters {
  const messages: string[] = [];
  const meant: Record<string, string> = {};
  for (const [key, filter] of Object.entries(known)) {
    const value = query[key];
    // Nothing recorded yet: the empty page says it; there is nothing a typo could have meant.
    if (!filter?.values.length || value === undefined) continue;
    const { values, where, accepted = [] } = filter;
    if (values.includes(value) || accepted.includes(value)) continue;
    const near = nearest(value, values);
    if (near) meant[key] = near;
    messages.push(
      `no ${key} ${value} ${where}` +
        (near
          ? `: did you mean "${near}"?`
          : values.length <= LISTED
            ? `; known: ${values.join(', ')}`
            : `; check the ${key} filter`),
    );
  }
  const fixes = Object.entries(meant);
  return {
    messages,
    meant: fixes.length
      ? {
          label: fixes.map(([key, value]) => `${key} ${value}`).join(', '),
          path: href(page, { ...query, ...meant }),
        }
      : null,
  };
}

/** The unknown filters above an empty page's table, with the link to the page they most likely meant. */
export function unknownFilterNotes(unknown: UnknownFilters | undefined): Html {
  if (!unknown?.messages.length) return html``;
  return html`<div class="error unknown-filter" role="note">
    ${unknown.messages.map(m => html`<p>${m}</p>`)}
    ${unknown.meant ? html`<p class="meant"><a href="${unknown.meant.path}">Show ${unknown.meant.label}</a></p>` : ''}
  </div>`;
}
