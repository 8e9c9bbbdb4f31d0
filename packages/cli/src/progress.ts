/** A one-line text progress bar on a terminal: `[##########----------]  180/360 entries`. */

export interface ProgressBar {
  update(done: number, total: number): void;
  /** Clears the line, so the summary starts on a clean one. */
  finish(): void;
}

const WIDTH = 30;

export function renderBar(done: number, total: number, label = 'entries'): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * WIDTH);
  const count = `${String(done).padStart(String(total).length)}/${total}`;
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${count} ${label} (${Math.floor(ratio * 100)}%)`;
}

/** A bar that draws only when `enabled` (stderr is a terminal) and the total is over `minTotal`. */
export function progressBar(write: (text: string) => void, enabled: boolean, label = 'entries', minTotal = 0, now: () => number = Date.now): ProgressBar {
  let last = '';
  let drawnAt = -Infinity;
  return {
    update(done, total) {
      if (!enabled || total <= minTotal) return;
      // At most ten redraws a second, and always the last one.
      if (done < total && now() - drawnAt < 100) return;
      const line = renderBar(done, total, label);
      if (line === last) return;
      last = line;
      drawnAt = now();
      write(`\r${line}`);
    },
    finish() {
      if (enabled && last !== '') write(`\r${' '.repeat(last.length)}\r`);
    },
  };
}
