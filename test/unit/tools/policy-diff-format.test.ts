/**
 * What policy:diff prints and draws: the summary first, only the rows that changed (all of
 * them on request), and a score picture whose counts, axis and change per band are there as
 * text, readable without colour, with no two labels on top of each other.
 */
import { describe, expect, it } from 'vitest';
import { comparePolicyRuns, formatDiff, renderScoreHistogram, summariseDiff, type PolicyRun } from '@vroegsignaal/tools';

function run(alerts: Record<string, string[]>, scores: number[]): PolicyRun {
  return { alerts: new Map(Object.entries(alerts)), lines: new Map(Object.keys(alerts).map((ref, i) => [ref, [i + 1]])), scores, entries: scores.length };
}

const base = run({ a: ['utrecht-schuldhulp signal'], b: ['utrecht-schuldhulp signal'], c: ['denhaag-schuldhulp signal'], d: ['amsterdam-mpg-wonen case'] }, [120, 130, 110, 240, 40]);
const candidate = run({ b: ['utrecht-schuldhulp signal'], c: ['denhaag-schuldhulp signal'], d: ['amsterdam-mpg-wonen case'], e: ['denhaag-schuldhulp signal'] }, [60, 130, 110, 240, 115]);

describe('formatDiff', () => {
  it('leads with what changed, then prints only the rows that changed', () => {
    const lines = formatDiff(comparePolicyRuns(base, candidate)).split('\n');
    expect(lines[0]).toBe(
      'The candidate policy raises as many alerts as the base policy on this feed (4 against 4): 1 gained and 1 lost, in 2 of 3 team and level rows; 2 households moved.',
    );
    expect(lines[1]).toBe('Most changed: denhaag-schuldhulp at signal (+1), utrecht-schuldhulp at signal (-1).');
    expect(lines[2]).toBe('');
    expect(lines.slice(3, 6)).toEqual([
      expect.stringMatching(/^team +level +base +cand\. +gained +lost$/),
      expect.stringMatching(/^denhaag-schuldhulp +signal +1 +2 +\+1 +-0$/),
      expect.stringMatching(/^utrecht-schuldhulp +signal +2 +1 +\+0 +-1$/),
    ]);
    expect(lines[6]).toBe('(1 unchanged row not shown; --all shows every row)');
    expect(lines.join('\n')).not.toContain('amsterdam-mpg-wonen');
  });

  it('prints every row with all', () => {
    const text = formatDiff(comparePolicyRuns(base, candidate), { all: true });
    expect(text).toMatch(/^amsterdam-mpg-wonen +case +1 +1 +\+0 +-0$/m);
    expect(text).not.toContain('not shown');
  });

  it('says how many households end at each level when that changed', () => {
    // 40 and 120 under the base are 60 and 115 under the candidate: as many households at each level.
    expect(summariseDiff(comparePolicyRuns(base, candidate))).not.toContain('Households per level');
    const fewer = run({ b: ['utrecht-schuldhulp signal'] }, [60, 130]);
    const more = run({ b: ['utrecht-schuldhulp signal'] }, [120, 130]);
    expect(summariseDiff(comparePolicyRuns(more, fewer))).toBe(
      'The candidate policy raises exactly the same alerts as the base policy on this feed.\nHouseholds per level at the end of the feed, base -> candidate: no level 0 -> 1 (+1), signal 2 -> 1 (-1).\n',
    );
  });

  it('says so when nothing changed, and prints no table', () => {
    expect(formatDiff(comparePolicyRuns(base, base))).toBe(
      'The candidate policy raises exactly the same alerts as the base policy on this feed.\n\n(3 unchanged rows not shown; --all shows every row)\n',
    );
  });
});

interface Label {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Every <text> of the SVG with the box it takes: 0.62 em a character (1.1 times that in bold),
 * generous for digits and lower case in a sans-serif face; from 0.8 em above the baseline to
 * 0.2 em below it.
 */
function labels(svg: string): Label[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attributes, text]) => {
    const attribute = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(attributes!)?.[1];
    const size = Number(attribute('font-size'));
    const width = text!.replace(/&\w+;/g, '_').length * size * 0.62 * (attribute('font-weight') === 'bold' ? 1.1 : 1);
    const x = Number(attribute('x'));
    const y = Number(attribute('y'));
    const anchor = attribute('text-anchor') ?? 'start';
    const left = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
    return { text: text!, left, right: left + width, top: y - 0.8 * size, bottom: y + 0.2 * size };
  });
}

function overlaps(all: Label[]): string[] {
  const found: string[] = [];
  all.forEach((a, i) => {
    for (const b of all.slice(i + 1)) {
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) found.push(`"${a.text}" and "${b.text}"`);
    }
  });
  return found;
}

const width = (svg: string) => Number(/<svg [^>]*width="(\d+)"/.exec(svg)![1]);

describe('renderScoreHistogram', () => {
  const svg = renderScoreHistogram('Household scores', [
    { label: 'defaults', scores: [5, 120, 120, 250, 260] },
    { label: 'my-policy', scores: [5, 60, 120, 250, 260] },
  ]);

  it('has a title and a description that says what changed, for a screen reader', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart-title chart-desc"/);
    expect(svg).toContain('<title id="chart-title">Household scores</title>');
    expect(svg).toMatch(/<desc id="chart-desc">[^<]*under the base \(defaults, 5 households\) and the candidate \(my-policy, 5 households\)[^<]*Bands that changed: 50-74: 0 to 1 \(\+1\); 100-124: 2 to 1 \(−1\)\.<\/desc>/);
  });

  it('shows the counts on the bars, a labelled y-axis, the level names and the change per band as text', () => {
    const texts = labels(svg).map((label) => label.text);
    expect(texts).toContain('households per band of 25 points');
    for (const level of ['no level', 'signal', 'case', 'eviction-threat', 'urgent']) expect(texts).toContain(level);
    // Base: 1 in 0-24, 2 in 100-124, 2 in 250-274; candidate: 1 in 0-24, 1 in 50-74, 1 in 100-124, 2 in 250-274.
    expect(texts.filter((text) => text === '2')).toHaveLength(3 + 1); // three bars of 2, and the y-axis tick 2
    expect(texts).toContain('+1');
    expect(texts).toContain('−1');
    expect(svg).toContain('<title>defaults: 2 households scoring 100-124</title>');
    expect(svg).toContain('<title>−1 household scoring 100-124 under the candidate</title>');
  });

  it('tells the policies and the direction of a change apart by pattern and sign, not by hue alone', () => {
    expect(svg).toMatch(/<rect [^>]*fill="url\(#base-hatch\)"[^>]*><title>defaults:/);
    expect(svg).toMatch(/<rect [^>]*fill="url\(#fewer-hatch\)"[^>]*><title>−1/);
    expect(svg).toContain('fewer households (−)');
  });

  it('lets no two labels overlap, also with counts of six digits', () => {
    expect(overlaps(labels(svg))).toEqual([]);
    const many = (band: number, count: number) => new Array<number>(count).fill(band * 25);
    const large = renderScoreHistogram('A year of households', [
      { label: 'packages/policy/defaults', scores: [...many(0, 123_456), ...many(4, 99_999), ...many(5, 100_000), ...many(8, 5)] },
      { label: 'my-policy', scores: [...many(0, 23_456), ...many(4, 199_999), ...many(5, 1), ...many(9, 5)] },
    ]);
    expect(overlaps(labels(large))).toEqual([]);
    expect(labels(large).map((label) => label.text)).toEqual(expect.arrayContaining(['123456', '−100000', '+100000', '−99999']));
    expect(width(large)).toBeGreaterThan(width(svg));
  });

  it('says so in the change panel when no band changed', () => {
    const same = renderScoreHistogram('same', [
      { label: 'a', scores: [120] },
      { label: 'b', scores: [120] },
    ]);
    expect(same).toContain('no band changed');
    expect(overlaps(labels(same))).toEqual([]);
  });
});
