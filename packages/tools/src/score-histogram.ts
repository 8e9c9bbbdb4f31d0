/**
 * A histogram of household scores under two policies, as a standalone SVG: bars per 10 score
 * points, the level boundaries (signal 100, case 200, eviction-threat 300, urgent 400) drawn
 * as lines. Written by hand: a chart library would outweigh the thirty lines it replaces.
 */
import { LEVELS } from '@vroegsignaal/events';

const BIN = 10;
const MAX_SCORE = 500;
const WIDTH = 960;
const HEIGHT = 420;
const MARGIN = { top: 64, right: 24, bottom: 48, left: 56 };

export interface HistogramSeries {
  label: string;
  scores: number[];
  colour: string;
}

function bins(scores: number[]): number[] {
  const counts = new Array<number>(MAX_SCORE / BIN).fill(0);
  for (const score of scores) counts[Math.min(counts.length - 1, Math.max(0, Math.floor(score / BIN)))]!++;
  return counts;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderScoreHistogram(title: string, series: [HistogramSeries, HistogramSeries]): string {
  const binned = series.map((s) => bins(s.scores));
  const peak = Math.max(1, ...binned.flat());
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (score: number) => MARGIN.left + (score / MAX_SCORE) * plotWidth;
  const y = (count: number) => MARGIN.top + plotHeight - (count / peak) * plotHeight;
  const barWidth = (BIN / MAX_SCORE) * plotWidth;
  const parts: string[] = [];
  binned.forEach((counts, s) => {
    counts.forEach((count, i) => {
      if (count === 0) return;
      const left = x(i * BIN) + (s * barWidth) / 2;
      parts.push(`<rect x="${left.toFixed(1)}" y="${y(count).toFixed(1)}" width="${(barWidth / 2 - 1).toFixed(1)}" height="${(y(0) - y(count)).toFixed(1)}" fill="${series[s]!.colour}"><title>${escapeXml(series[s]!.label)}: ${count} household(s) scoring ${i * BIN}-${i * BIN + BIN - 1}</title></rect>`);
    });
  });
  LEVELS.forEach((level, i) => {
    const at = x((i + 1) * 100);
    parts.push(`<line x1="${at}" x2="${at}" y1="${MARGIN.top}" y2="${y(0)}" stroke="#b00" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${at + 4}" y="${MARGIN.top + 14}" font-size="12" fill="#b00">${level} ≥ ${(i + 1) * 100}</text>`);
  });
  for (let score = 0; score <= MAX_SCORE; score += 50) {
    parts.push(`<text x="${x(score)}" y="${y(0) + 18}" font-size="11" text-anchor="middle">${score}</text>`);
  }
  for (const tick of [0, Math.round(peak / 2), peak]) {
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(tick) + 4}" font-size="11" text-anchor="end">${tick}</text>`);
  }
  const legend = series
    .map((s, i) => `<rect x="${MARGIN.left + i * 440}" y="34" width="12" height="12" fill="${s.colour}"/><text x="${MARGIN.left + i * 440 + 18}" y="44" font-size="12">${escapeXml(s.label)} (${s.scores.length} households)</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${y(0)}" stroke="#333"/>`,
    `<text x="${WIDTH / 2}" y="${y(0) + 36}" font-size="12" text-anchor="middle">household score at the end of the feed (100 per level + intensity)</text>`,
    ...parts,
    legend,
    '</svg>',
    '',
  ].join('\n');
}
