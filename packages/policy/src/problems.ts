/**
 * A policy's problems as an operator reads them: the file and line, where in the file in
 * words (list positions counted from 1, as an editor shows them), and what was expected.
 */

/** Keys and zero-based list indices from a file's root to the value a problem is about. */
export type PolicyPath = readonly (string | number)[];

export interface PolicyProblem {
  /** The file, relative to the policy directory; the directory itself for a problem with it. */
  file: string;
  /** Where in the file; empty for the file as a whole. */
  path: PolicyPath;
  /** The 1-based line the path points at, when the file could be read as YAML. */
  line?: number;
  message: string;
}

export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID';
  constructor(readonly problems: PolicyProblem[]) {
    super(`the policy has ${countProblems(problems.length)}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

export function countProblems(count: number): string {
  return `${count} problem${count === 1 ? '' : 's'}`;
}

/** `routes item 3 › team` for ["routes", 2, "team"]. */
export function formatPath(path: PolicyPath): string {
  const labels: string[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') {
      const item = `item ${segment + 1}`;
      if (labels.length === 0) labels.push(item);
      else labels[labels.length - 1] += ` ${item}`;
    } else labels.push(segment);
  }
  return labels.join(' › ');
}

/** `municipalities/utrecht.yaml:40 at routes item 3 › team: team "x" is not in teams` */
export function formatProblem(problem: PolicyProblem): string {
  const where = problem.path.length > 0 ? ` at ${formatPath(problem.path)}` : '';
  return `${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}${where}: ${problem.message}`;
}

/** Levenshtein distance: insertions, deletions and substitutions, each counting one. */
function editDistance(a: string, b: string): number {
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
 * The candidate nearest to a mistyped name, if it is within one edit per three letters: a
 * further guess would name a key or team that was never meant. (The command conventions have
 * the same rule for options; policy sits below them, so it keeps its own.)
 */
export function nearestName(word: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= Math.max(1, Math.floor(word.length / 3)) && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
