/** A count with its noun, in the plural unless it is one: `1 task`, `3 tasks`, `0 tasks`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
