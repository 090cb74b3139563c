/** The known name nearest to a misspelt one, if it is near enough to be a typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    // Lengths further apart than the best distance cannot beat it: skipped, so a 16,000-character id
    // in a URL is not compared in full with every task's (seconds, during which a dashboard stalled).
    const known = candidate.toLowerCase();
    if (Math.abs(known.length - lower.length) >= bestDistance) continue;
    const d = editDistance(lower, known);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** `did you mean "x"?` when a name is near one of `known`, else the list of what is known. */
export function suggest(word: string, known: readonly string[], noun: string): string {
  return didYouMean(word, known) ?? (known.length ? `known ${noun}: ${known.join(', ')}` : `there are no ${noun} yet`);
}

/** `did you mean "x"?` for a value a typo away from one of `known`; nothing for anything else. */
export function didYouMean(value: unknown, known: readonly string[]): string | undefined {
  const near = typeof value === 'string' ? nearest(value, known) : undefined;
  return near && `did you mean "${near}"?`;
}

/** The hint for a value outside a fixed set, as a misspelt command is answered: `did you mean "park"? one of: a, b`. */
export function oneOf(value: unknown, allowed: readonly string[]): string {
  const meant = didYouMean(value, allowed);
  return `${meant ? `${meant} ` : ''}one of: ${allowed.join(', ')}`;
}

/** Levenshtein distance: how many one-character edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
