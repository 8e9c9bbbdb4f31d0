/**
 * The shipped sample feed (events/samples/feed.ndjson) is what the generator writes, and it
 * is what it claims to be: valid lines that pass the contract and the partner registry of
 * the default policy, a known handful of broken lines, all eight municipalities, duplicates
 * and withdrawals (docs/contract.md sections 1 and 4), and the teams' reports after them (v1.1).
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_FUTURE_SKEW_MS, MAX_SIGNAL_AGE_DAYS, parsePartnerDetail, parseTeamReport, partnerIdFromSource, teamIdFromSource, SAMPLE_FEED_FILE, SAMPLE_FEED_NOW, SAMPLE_README_FILE } from '@vroegsignaal/events';
import { compilePolicy, loadPolicyDir, type CompiledPolicy, type Policy } from '@vroegsignaal/policy';
import { SAMPLE_FEED_MUNICIPALITIES, buildSampleFeed, generateSampleFeed, renderSampleFeed, renderSampleReadme, type SampleFeed } from '@vroegsignaal/harness';

const EIGHT_MUNICIPALITIES = ['GM0307', 'GM0363', 'GM0518', 'GM0935', 'GM0268', 'GM0599', 'GM0855', 'GM0344'];
const ENTRY_FIELDS = new Set(['Source', 'DetailType', 'Detail', 'Time', 'Account']);
const DAY_MS = 24 * 60 * 60 * 1000;

interface ValidLine {
  kind: 'valid';
  line: number;
  partnerId: string;
  detailType: string;
  detail: Record<string, unknown>;
  signalId: string;
  municipalityCode: string;
}
interface TeamLine {
  kind: 'team';
  line: number;
  teamId: string;
  detailType: string;
  nowMs: number;
  atMs: number;
}
type CheckedLine = ValidLine | TeamLine | { kind: 'blank'; line: number } | { kind: 'invalid'; line: number; why: string };

/** A team's report (contract v1.1): a known team, a valid report, and a `Now` of its own that `at` does not pass. */
function checkTeamLine(fields: Record<string, unknown>, line: number, compiled: CompiledPolicy): CheckedLine {
  const invalid = (why: string): CheckedLine => ({ kind: 'invalid', line, why });
  const teamId = typeof fields.Source === 'string' ? teamIdFromSource(fields.Source) : undefined;
  if (!teamId || !compiled.team(teamId)) return invalid('source is not a team of the policy');
  const parsed = parseTeamReport(typeof fields.DetailType === 'string' ? fields.DetailType : '', fields.Detail);
  if (!parsed.ok) return invalid(parsed.reason);
  const nowMs = typeof fields.Now === 'string' ? Date.parse(fields.Now) : Number.NaN;
  if (Number.isNaN(nowMs)) return invalid('team report without a Now');
  const atMs = Date.parse(parsed.report.detail.at);
  if (atMs > nowMs + MAX_FUTURE_SKEW_MS) return invalid('at after its Now');
  return { kind: 'team', line, teamId, detailType: parsed.report.detailType, nowMs, atMs };
}

/** Judges one line as intake would at the replay clock: JSON, source, registry, contract, age, municipality, postcode area. */
function checkLine(text: string, line: number, policy: Policy, compiled: CompiledPolicy, nowMs: number): CheckedLine {
  if (text.trim() === '') return { kind: 'blank', line };
  const invalid = (why: string): CheckedLine => ({ kind: 'invalid', line, why });
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return invalid('not JSON');
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return invalid('not an object');
  const fields = entry as Record<string, unknown>;
  if (typeof fields.Source === 'string' && teamIdFromSource(fields.Source)) return checkTeamLine(fields, line, compiled);
  const unknownField = Object.keys(fields).find((k) => !ENTRY_FIELDS.has(k));
  if (unknownField) return invalid(`unknown entry field ${unknownField}`);
  const partnerId = typeof fields.Source === 'string' ? partnerIdFromSource(fields.Source) : undefined;
  if (!partnerId) return invalid('source is not partner.<id>');
  const partner = policy.partners.find((p) => p.id === partnerId);
  if (!partner) return invalid(`partner ${partnerId} is not registered`);
  let detail = fields.Detail;
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail);
    } catch {
      return invalid('Detail string is not JSON');
    }
  }
  const parsed = parsePartnerDetail(typeof fields.DetailType === 'string' ? fields.DetailType : '', detail);
  if (!parsed.ok) return invalid(parsed.reason);
  const observedAtMs = Date.parse(parsed.signal.detail.observedAt);
  if (observedAtMs > nowMs + MAX_FUTURE_SKEW_MS) return invalid('observedAt in the future');
  if (observedAtMs < nowMs - MAX_SIGNAL_AGE_DAYS * DAY_MS) return invalid('observedAt older than 400 days');
  const { municipalityCode, signalId } = parsed.signal.detail;
  if (partner.municipalities !== 'all' && !partner.municipalities.includes(municipalityCode)) {
    return invalid(`partner ${partnerId} is not registered for ${municipalityCode}`);
  }
  const area = Number(parsed.signal.detail.address.postcode.slice(0, 4));
  const addressMunicipality = compiled.municipalityOfPostcodeArea(area);
  if (addressMunicipality !== undefined && addressMunicipality !== municipalityCode) return invalid(`postcode area ${area} lies in ${addressMunicipality}`);
  return {
    kind: 'valid',
    line,
    partnerId,
    detailType: parsed.signal.detailType,
    detail: detail as Record<string, unknown>,
    signalId,
    municipalityCode,
  };
}

describe('the sample feed (events/samples)', () => {
  let feed: SampleFeed;
  let checked: CheckedLine[];
  let valid: ValidLine[];
  let teamLines: TeamLine[];

  beforeAll(() => {
    const policy = loadPolicyDir();
    feed = buildSampleFeed();
    const nowMs = Date.parse(SAMPLE_FEED_NOW);
    const compiled = compilePolicy(policy);
    checked = feed.lines.map((text, i) => checkLine(text, i + 1, policy, compiled, nowMs));
    valid = checked.filter((c): c is ValidLine => c.kind === 'valid');
    teamLines = checked.filter((c): c is TeamLine => c.kind === 'team');
  });

  it('is committed as generated (run `npm run samples` after changing the generator)', () => {
    // Prepare
    const expected = generateSampleFeed();

    // Act
    const committed = readFileSync(SAMPLE_FEED_FILE, 'utf8');
    const readme = readFileSync(SAMPLE_README_FILE, 'utf8');

    // Assess
    const committedLines = committed.endsWith('\n') ? committed.slice(0, -1).split('\n') : committed.split('\n');
    const firstDifference = expected.findIndex((line, i) => committedLines[i] !== line);
    expect(
      committedLines.length === expected.length && firstDifference === -1,
      `events/samples/feed.ndjson is stale (first difference at line ${firstDifference + 1}, ${committedLines.length} lines committed, ${expected.length} generated): run \`npm run samples\``,
    ).toBe(true);
    expect(committed, 'events/samples/feed.ndjson is stale: run `npm run samples`').toBe(renderSampleFeed(feed));
    expect(readme, 'events/samples/README.md is stale: run `npm run samples`').toBe(renderSampleReadme(feed));
  });

  it('is deterministic', () => {
    // Act
    const again = generateSampleFeed();

    // Assess
    expect(again).toEqual(feed.lines);
  });

  it('has a few hundred lines and states its replay clock', () => {
    // Assess
    expect(feed.lines.length).toBeGreaterThanOrEqual(350);
    expect(feed.lines.length).toBeLessThanOrEqual(450);
    expect(SAMPLE_FEED_NOW).toBe('2026-11-15T09:00:00+01:00');
    expect(renderSampleReadme(feed)).toContain(SAMPLE_FEED_NOW);
  });

  it('has valid lines exactly where it means to: every other line parses and its partner is registered for its municipality', () => {
    // Prepare
    const meantBad = feed.problems.filter((p) => p.expected === 'rejected').map((p) => p.line);
    const meantBlank = feed.problems.filter((p) => p.expected === 'skipped').map((p) => p.line);

    // Act
    const invalid = checked.filter((c) => c.kind === 'invalid');
    const blank = checked.filter((c) => c.kind === 'blank').map((c) => c.line);

    // Assess
    expect(invalid.map((c) => c.line)).toEqual(meantBad);
    expect(blank).toEqual(meantBlank);
    expect(valid.length + teamLines.length + invalid.length + blank.length).toBe(feed.lines.length);
  });

  it('ends with team reports (contract v1.1) after every partner entry, each judged at a Now that never runs back and that no report precedes', () => {
    // Assess
    expect(teamLines.map((t) => t.line)).toEqual(feed.marks.teamReports);
    expect(Math.min(...teamLines.map((t) => t.line))).toBeGreaterThan(Math.max(...valid.map((v) => v.line)));
    const nows = teamLines.map((t) => t.nowMs);
    expect(nows).toEqual([...nows].sort((a, b) => a - b));
    for (const team of teamLines) expect(team.atMs).toBeGreaterThanOrEqual(Date.parse(SAMPLE_FEED_NOW));
    expect(new Set(teamLines.map((t) => t.detailType))).toEqual(new Set(['AlertPickedUp', 'ContactAttemptLogged', 'AlertNotTaken', 'AlertForwarded', 'CaseClosed']));
    // The clock ends past 3 working days and 9 working days from the replay clock: an alert left alone is overdue and escalated by then.
    expect(Math.max(...nows)).toBeGreaterThan(Date.parse('2026-11-26T09:00:00+01:00'));
  });

  it('has between 8 and 12 invalid lines, each for a different reason, and the README lists them', () => {
    // Act
    const invalid = checked.filter((c): c is Extract<CheckedLine, { kind: 'invalid' }> => c.kind === 'invalid');
    const readme = renderSampleReadme(feed);

    // Assess
    expect(invalid.length).toBeGreaterThanOrEqual(8);
    expect(invalid.length).toBeLessThanOrEqual(12);
    expect(new Set(invalid.map((c) => c.why)).size).toBe(invalid.length);
    for (const problem of feed.problems) expect(readme).toContain(`| ${problem.line} | ${problem.problem} |`);
  });

  it('covers all eight municipalities with a policy, and one without', () => {
    // Act
    const codes = new Set(valid.map((v) => v.municipalityCode));

    // Assess
    expect([...SAMPLE_FEED_MUNICIPALITIES].sort()).toEqual([...EIGHT_MUNICIPALITIES].sort());
    for (const code of EIGHT_MUNICIPALITIES) expect(codes, `no valid line for ${code}`).toContain(code);
    expect([...codes].filter((c) => !EIGHT_MUNICIPALITIES.includes(c))).toEqual(['GM0014']);
  });

  it('contains exact duplicates: the same partner and signalId resent with the same detail', () => {
    // Prepare
    const seen = new Map<string, ValidLine>();
    const duplicates: number[] = [];

    // Act
    for (const line of valid) {
      const key = `${line.partnerId}\u0000${line.signalId}`;
      const first = seen.get(key);
      if (first && isDeepStrictEqual(first.detail, line.detail)) duplicates.push(line.line);
      if (!first) seen.set(key, line);
    }

    // Assess
    expect(duplicates.length).toBeGreaterThanOrEqual(2);
    expect(duplicates).toEqual(feed.marks.duplicates);
  });

  it('contains withdrawals, one arriving before the signal it withdraws and one after', () => {
    // Prepare
    const lineOf = new Map(valid.filter((v) => v.detailType !== 'SignalWithdrawn').map((v) => [`${v.partnerId}\u0000${v.signalId}`, v.line]));

    // Act
    const withdrawals = valid
      .filter((v) => v.detailType === 'SignalWithdrawn')
      .map((v) => {
        const target = (v.detail.withdrawal as { signalId: string }).signalId;
        return { line: v.line, target: lineOf.get(`${v.partnerId}\u0000${target}`) };
      });

    // Assess
    expect(withdrawals.length).toBeGreaterThanOrEqual(2);
    expect(withdrawals.every((w) => w.target !== undefined), 'every withdrawal names a signal in the feed').toBe(true);
    expect(withdrawals.some((w) => w.target! > w.line), 'a withdrawal before its signal').toBe(true);
    expect(withdrawals.some((w) => w.target! < w.line), 'a withdrawal after its signal').toBe(true);
  });

  it('carries Detail as a JSON string and an Account on a few valid lines', () => {
    // Act
    const validLines = new Set(valid.map((v) => v.line));

    // Assess
    expect(feed.marks.detailAsString.length).toBeGreaterThanOrEqual(2);
    expect(feed.marks.withAccount.length).toBeGreaterThanOrEqual(2);
    for (const line of [...feed.marks.detailAsString, ...feed.marks.withAccount]) expect(validLines).toContain(line);
    for (const line of feed.marks.detailAsString) expect(typeof JSON.parse(feed.lines[line - 1]!).Detail).toBe('string');
    for (const line of feed.marks.withAccount) expect(JSON.parse(feed.lines[line - 1]!).Account).toBe('123456789012');
  });
});
