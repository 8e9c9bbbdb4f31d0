/** The nearest known name to a mistyped one, offered only when it is close enough to be the one meant. */

/**
 * Edits from `a` to `b`: insertions, deletions, substitutions and swaps of two neighbouring
 * letters, each counting one (optimal string alignment). A swap is the commonest typo
 * (`--lgo`), and as two substitutions it would fall out of reach of a short option.
 */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * How many edits a typo of `word` may have: one per three letters typed, at least one. A longer
 * reach would answer a short typo with a confident guess at an option that was never meant.
 */
export function typoReach(word: string): number {
  return Math.max(1, Math.floor(word.length / 3));
}

/** The candidate nearest to `word` within its typo reach (the first listed on a tie), or undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word, name);
    if (distance <= typoReach(word) && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
