/** The nearest known name to a mistyped one, offered only when it is close enough to be the one meant. */

/** Levenshtein distance: insertions, deletions and substitutions, each counting one. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
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
