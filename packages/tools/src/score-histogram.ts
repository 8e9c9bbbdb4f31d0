/**
 * Household scores under two policies, as a standalone SVG: per score band, a bar for each
 * policy with its count on it, and below them the change per band (candidate minus base), so
 * the shift is seen rather than worked out from two bars. The level boundaries (signal 100,
 * case 200, eviction-threat 300, urgent 400) are dashed lines across both. Patterns and signed
 * labels carry the meaning, so it reads without colour; a <title> and <desc> say it in words.
 * Written by hand: a chart library would outweigh it.
 *
 * Every label's width is estimated (EM of its font size per character, generous for digits in
 * a sans-serif face) and the layout gives each its own room: bars are made wide enough for
 * their counts, and each row of labels has its own band of height.
 */
import { LEVELS } from '@vroegsignaal/events';

const BAND = 25;
const BANDS = 500 / BAND;
const EM = 0.62;
const FONT = { title: 16, label: 12, count: 11 };
const LEFT = 72;
const RIGHT = 24;
const BAR_GAP = 8;
/** Height of the top panel (counts) and of the change panel. */
const COUNTS_HEIGHT = 220;
const CHANGE_HEIGHT = 140;
/** Room above a bar for its count, and around the change panel's labels. */
const LABEL_ROOM = FONT.count + 6;

export interface HistogramSeries {
  label: string;
  scores: readonly number[];
}

const width = (text: string, fontSize: number, bold = false) => text.length * fontSize * EM * (bold ? 1.1 : 1);

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function bands(scores: readonly number[]): number[] {
  const counts = new Array<number>(BANDS).fill(0);
  for (const score of scores) counts[Math.min(BANDS - 1, Math.max(0, Math.floor(score / BAND)))]!++;
  return counts;
}

const bandName = (band: number) => `${band * BAND}-${band * BAND + BAND - 1}`;
const signed = (count: number) => (count > 0 ? `+${count}` : `−${-count}`);

/** Round tick steps (1, 2, 5 times a power of ten), at most five above zero. */
function ticks(peak: number): number[] {
  let step = 1;
  for (let power = 1; ; power *= 10) {
    const found = [1, 2, 5].map((m) => m * power).find((s) => Math.ceil(peak / s) <= 5);
    if (found) {
      step = found;
      break;
    }
  }
  return Array.from({ length: Math.max(1, Math.ceil(peak / step)) + 1 }, (_, i) => i * step);
}

interface Text {
  x: number;
  y: number;
  text: string;
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'bold';
}

function text({ x, y, text: content, size, anchor = 'start', weight }: Text): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}"${anchor === 'start' ? '' : ` text-anchor="${anchor}"`}${weight ? ` font-weight="${weight}"` : ''}>${escapeXml(content)}</text>`;
}

function swatch(x: number, y: number, fill: string): string {
  return `<rect x="${x.toFixed(1)}" y="${(y - FONT.label + 1).toFixed(1)}" width="14" height="${FONT.label}" fill="${fill}" stroke="#222" stroke-width="0.8"/>`;
}

/** Labels with swatches in one row, each after the last. */
function legendRow(x: number, y: number, entries: readonly (readonly [string, string])[]): string[] {
  const parts: string[] = [];
  let at = x;
  for (const [fill, label] of entries) {
    parts.push(swatch(at, y, fill), text({ x: at + 20, y, text: label, size: FONT.label }));
    at += 20 + width(label, FONT.label) + 24;
  }
  return parts;
}

const CHANGE_TITLE = 'change per band, candidate minus base:';
const FILL = { base: 'url(#base-hatch)', candidate: '#1f4e99', more: '#1f4e99', fewer: 'url(#fewer-hatch)' };

export function renderScoreHistogram(title: string, series: readonly [HistogramSeries, HistogramSeries]): string {
  const [base, candidate] = series.map((s) => bands(s.scores)) as [number[], number[]];
  const change = candidate.map((count, band) => count - base[band]!);
  const countTicks = ticks(Math.max(1, ...base, ...candidate));
  const countTop = countTicks.at(-1)!;
  const maxChange = Math.max(1, ...change.map(Math.abs));
  const levelNames = ['no level', ...LEVELS];

  // Wide enough for every count on its bar, every change under its band and every level name over its four bands.
  const countWidth = Math.max(...[...base, ...candidate].map((count) => width(String(count), FONT.count)));
  const changeWidth = Math.max(...change.map((count) => width(signed(count || 1), FONT.count)));
  const barWidth = Math.ceil(Math.max(18, countWidth + 4, (changeWidth + 4) / 2, (Math.max(...levelNames.map((name) => width(name, FONT.label, true))) + 8) / (2 * (100 / BAND)) - BAR_GAP / 2));
  const bandWidth = 2 * barWidth + BAR_GAP;
  const plotWidth = BANDS * bandWidth;
  const totalWidth = LEFT + plotWidth + RIGHT;
  const x = (score: number) => LEFT + (score / BAND) * bandWidth;

  const legendY = 48;
  const levelY = 92;
  const axisLabelY = 112;
  const countsTop = 124;
  const baseline = countsTop + COUNTS_HEIGHT;
  const changeTitleY = baseline + 34;
  const changeTop = changeTitleY + 10;
  const zero = changeTop + CHANGE_HEIGHT / 2;
  const changeBottom = changeTop + CHANGE_HEIGHT;
  const totalHeight = changeBottom + 60;
  const countY = (count: number) => baseline - (count / countTop) * (COUNTS_HEIGHT - LABEL_ROOM);
  const changeHeight = (count: number) => (Math.abs(count) / maxChange) * (CHANGE_HEIGHT / 2 - LABEL_ROOM);

  const parts: string[] = [];
  for (const tick of countTicks) {
    parts.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${countY(tick).toFixed(1)}" y2="${countY(tick).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(text({ x: LEFT - 8, y: countY(tick) + 4, text: String(tick), size: FONT.count, anchor: 'end' }));
  }
  const bars: [number[], HistogramSeries, string][] = [
    [base, series[0], FILL.base],
    [candidate, series[1], FILL.candidate],
  ];
  bars.forEach(([counts, { label }, fill], s) => {
    counts.forEach((count, band) => {
      if (count === 0) return;
      const left = x(band * BAND) + BAR_GAP / 2 + s * barWidth;
      const top = countY(count);
      parts.push(
        `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth}" height="${(baseline - top).toFixed(1)}" fill="${fill}" stroke="#222" stroke-width="0.8"><title>${escapeXml(label)}: ${count} household${count === 1 ? '' : 's'} scoring ${bandName(band)}</title></rect>`,
      );
      parts.push(text({ x: left + barWidth / 2, y: top - 4, text: String(count), size: FONT.count, anchor: 'middle' }));
    });
  });
  change.forEach((count, band) => {
    if (count === 0) return;
    const left = x(band * BAND) + BAR_GAP / 2 + barWidth / 2;
    const height = changeHeight(count);
    const top = count > 0 ? zero - height : zero;
    const fill = count > 0 ? FILL.more : FILL.fewer;
    parts.push(
      `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth}" height="${height.toFixed(1)}" fill="${fill}" stroke="#222" stroke-width="0.8"><title>${signed(count)} household${Math.abs(count) === 1 ? '' : 's'} scoring ${bandName(band)} under the candidate</title></rect>`,
    );
    const labelY = count > 0 ? top - 4 : zero + height + FONT.count + 2;
    parts.push(text({ x: left + barWidth / 2, y: labelY, text: signed(count), size: FONT.count, anchor: 'middle' }));
  });
  if (change.every((count) => count === 0)) {
    parts.push(text({ x: LEFT + plotWidth / 2, y: zero - 6, text: 'no band changed: the candidate scores every household as the base does', size: FONT.label, anchor: 'middle' }));
  }
  levelNames.forEach((name, level) => {
    parts.push(text({ x: x(level * 100 + 50), y: levelY, text: name, size: FONT.label, anchor: 'middle', weight: 'bold' }));
    if (level === 0) return;
    parts.push(`<line x1="${x(level * 100)}" x2="${x(level * 100)}" y1="${levelY + 6}" y2="${changeBottom}" stroke="#333" stroke-dasharray="5 4"/>`);
  });
  for (let score = 0; score <= 500; score += 50) {
    parts.push(text({ x: x(score), y: changeBottom + 18, text: String(score), size: FONT.count, anchor: 'middle' }));
  }

  const households = (s: HistogramSeries) => `${s.label}, ${s.scores.length} household${s.scores.length === 1 ? '' : 's'}`;
  const changed = change.flatMap((count, band) => (count === 0 ? [] : [`${bandName(band)}: ${base[band]} to ${candidate[band]} (${signed(count)})`]));
  const description =
    `Households by score band of ${BAND} points at the end of the feed, under the base (${households(series[0])}) and the candidate (${households(series[1])}); ` +
    `below, the change per band. ${changed.length === 0 ? 'No band changed.' : `Bands that changed: ${changed.join('; ')}.`}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalWidth}" height="${totalHeight}" viewBox="0 0 ${totalWidth} ${totalHeight}" font-family="sans-serif" role="img" aria-labelledby="chart-title chart-desc">`,
    `<title id="chart-title">${escapeXml(title)}</title>`,
    `<desc id="chart-desc">${escapeXml(description)}</desc>`,
    '<defs>',
    '<pattern id="base-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e4e7eb"/><line x1="0" y1="0" x2="0" y2="6" stroke="#52606d" stroke-width="2"/></pattern>',
    '<pattern id="fewer-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#fde8e1"/><line x1="0" y1="0" x2="0" y2="6" stroke="#a5301b" stroke-width="2"/></pattern>',
    '</defs>',
    `<rect width="100%" height="100%" fill="white"/>`,
    text({ x: LEFT, y: 26, text: title, size: FONT.title, weight: 'bold' }),
    ...legendRow(LEFT, legendY, [[FILL.base, `base: ${households(series[0])}`]]),
    ...legendRow(LEFT, legendY + 20, [[FILL.candidate, `candidate: ${households(series[1])}`]]),
    text({ x: 8, y: axisLabelY, text: `households per band of ${BAND} points`, size: FONT.label }),
    text({ x: LEFT, y: changeTitleY, text: CHANGE_TITLE, size: FONT.label, weight: 'bold' }),
    ...legendRow(LEFT + width(CHANGE_TITLE, FONT.label, true) + 16, changeTitleY, [
      [FILL.more, 'more households (+)'],
      [FILL.fewer, 'fewer households (−)'],
    ]),
    `<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${baseline}" y2="${baseline}" stroke="#222"/>`,
    `<line x1="${LEFT}" x2="${LEFT}" y1="${countsTop}" y2="${baseline}" stroke="#222"/>`,
    `<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${zero}" y2="${zero}" stroke="#222"/>`,
    ...parts,
    text({ x: LEFT + plotWidth / 2, y: changeBottom + 40, text: `household score at the end of the feed (100 per level + intensity), in bands of ${BAND}`, size: FONT.label, anchor: 'middle' }),
    '</svg>',
    '',
  ].join('\n');
}
