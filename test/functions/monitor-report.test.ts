/**
 * The monitor's report as people read it, on plain figures: the workspace's fragment carries no
 * style attribute (its CSP) and no script; every bar has its number written beside it, and the
 * month and the year differ by pattern, not colour alone; published figures show <5; a CSV per block.
 */
import { describe, expect, it } from 'vitest';
import { MONITOR_BLOCKS, monitorFigures, publishable, type JudgedEntry } from '@vroegsignaal/domain';
import { monitorCsv, monitorReportFragment, monitorReportHtml } from '@vroegsignaal/functions';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';

const policy = compilePolicy(loadPolicyDir());
const at = Date.parse('2026-11-10T10:00:00+01:00');
const entries: JudgedEntry[] = [
  ...Array.from({ length: 7 }, (_, i): JudgedEntry => ({ partnerId: 'mitros', detailType: 'RentArrearsReported', outcome: 'accepted', householdRef: `h${i}`, atMs: at })),
  { partnerId: 'ggd', detailType: 'CareSignalReported', outcome: 'accepted', householdRef: 'h0', atMs: at },
];
const figures = monitorFigures({ municipalityCode: 'GM0344', entries, alerts: [], nowMs: at }, policy, '2026-11');

describe('the monitor report', () => {
  it('gives the workspace a fragment with classes only: no style attribute, no script', () => {
    const fragment = monitorReportFragment(figures);
    expect(fragment).not.toMatch(/\sstyle=/);
    expect(fragment).not.toContain('<script');
    expect(fragment).toContain('<h2 id="monitor-intake">Instroom <span class="monitor-en" lang="en">(Intake)</span></h2>');
  });

  it('writes every bar\'s number beside it, the month solid and the year hatched', () => {
    const fragment = monitorReportFragment(figures);
    const partnerChart = /<svg class="monitor-chart-svg"[^>]*aria-label="Meldingen per partner[^"]*"[^>]*>(.*?)<\/svg>/.exec(fragment)?.[1] ?? '';
    expect(partnerChart).toContain('>Mitros</text>');
    expect([...partnerChart.matchAll(/class="monitor-bar-number"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['1', '1', '7', '7']);
    expect(partnerChart.match(/monitor-bar-month/g)).toHaveLength(2);
    expect(partnerChart.match(/monitor-bar-year/g)).toHaveLength(2);
    expect(fragment).toContain('<pattern id="monitor-hatch"');
    expect(fragment).toContain('<caption>Meldingen per partner</caption>');
  });

  it('shows published figures as <5 and says what <5 and x mean', () => {
    const published = monitorReportHtml(publishable(figures));
    expect(published).toContain('<th scope="row">GGD</th><td>&#60;5</td><td>&#60;5</td>');
    expect(published).toContain('<th scope="row">Mitros</th><td>x</td><td>x</td>');
    expect(published).toContain('"&#60;5" staat voor minder dan 5 huishoudens');
    // Every < in the text escaped: no <5 that a browser would read as a tag.
    expect(published).not.toMatch(/<5/);
    expect(published).toMatch(/^<!doctype html>\n<html lang="nl">/);
  });

  it('writes a CSV per block, one line per measure and period', () => {
    const csv = monitorCsv(figures);
    expect(Object.keys(csv)).toEqual([...MONITOR_BLOCKS]);
    expect(csv.intake).toContain('\nentries-by-partner;mitros;Mitros;2026-11;7;');
    expect(csv.intake).toContain('\nentries-by-partner;mitros;Mitros;2026-01..2026-11;7;');
    expect(csv.matching).toContain('\nhouseholds;two-or-more-partners;met signalen van 2 of meer partners;2026-11;;1;7;14.29;');
  });
});
