/**
 * policy:check refuses a broken policy with a precise message: the file and line, where in the
 * file (list positions from 1) and what was expected, with the nearest valid name for a typo.
 * Every problem comes in one pass, each once. Each case copies the shipped defaults and breaks
 * one thing or several.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPolicyDir, formatTeamTable, teamRows } from '@vroegsignaal/tools';
import { DEFAULT_POLICY_DIR, formatProblem, loadPolicyDir, PolicyError, readPolicyDir } from '@vroegsignaal/policy';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  dirs.push(dir);
  return dir;
}

type Edits = Record<string, (text: string) => string>;

/** A copy of the defaults with each file edited by its edit. */
function brokenPolicy(edits: Edits): string {
  const dir = tempDir();
  cpSync(DEFAULT_POLICY_DIR, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`the edit of ${file} changed nothing`);
    writeFileSync(path, after);
  }
  return dir;
}

/** The problems, one formatted line each. */
function problemsOf(edits: Edits): string[] {
  const { policy, problems } = readPolicyDir(brokenPolicy(edits));
  expect(policy).toBeUndefined();
  return problems.map(formatProblem);
}

/** The 1-based line of the first line of `file` in `dir` that contains `text`. */
function lineOf(dir: string, file: string, text: string): number {
  return readFileSync(join(dir, file), 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}

const misspeltTeam = (t: string) => t.replace('team: denhaag-sociaal-casemanagement', 'team: denhaag-sociaal-casemanagment');

describe('policy:check', () => {
  it('passes the shipped defaults and says what it checked', () => {
    const result = checkPolicyDir(DEFAULT_POLICY_DIR);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.summary).toContain('8 municipalities, 59 teams');
  });

  it('names a route whose team does not exist, with the nearest team id, and not the meant team as unreached', () => {
    const problems = problemsOf({ 'municipalities/denhaag.yaml': misspeltTeam });
    expect(problems).toEqual([
      expect.stringMatching(
        /^municipalities\/denhaag\.yaml:\d+ at routes item 2 › team: team "denhaag-sociaal-casemanagment" is not in teams; did you mean "denhaag-sociaal-casemanagement"\?$/,
      ),
    ]);
  });

  it('names a route team with no near team without guessing', () => {
    const problems = problemsOf({ 'municipalities/denhaag.yaml': (t) => t.replace('team: denhaag-sociaal-casemanagement', 'team: denhaag-wijkteam') });
    expect(problems).toContainEqual(expect.stringMatching(/at routes item 2 › team: team "denhaag-wijkteam" is not in teams$/));
    expect(problems).toContainEqual(expect.stringMatching(/at teams item 2 › id: team "denhaag-sociaal-casemanagement" is not reached by any route$/));
  });

  it('names a team no route reaches, on the line of its id', () => {
    const dir = brokenPolicy({ 'municipalities/denhaag.yaml': (t) => t.replace('team: denhaag-sociaal-casemanagement', 'team: denhaag-schuldhulp') });
    const line = lineOf(dir, 'municipalities/denhaag.yaml', 'id: denhaag-sociaal-casemanagement');
    expect(readPolicyDir(dir).problems.map(formatProblem)).toEqual([
      `municipalities/denhaag.yaml:${line} at teams item 2 › id: team "denhaag-sociaal-casemanagement" is not reached by any route`,
    ]);
  });

  it("names an overdueEscalation team that is not the municipality's, with the nearest team id, in the same pass as the rest", () => {
    const problems = problemsOf({
      'municipalities/maastricht.yaml': (t) => t.replace('  team: maastricht-procesmanagement\n  afterTermMultiple: 3', '  team: maastricht-procesmanagment\n  afterTermMultiple: 3'),
      'municipalities/denhaag.yaml': misspeltTeam,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^municipalities\/denhaag\.yaml:\d+ at routes item 2 › team: team "denhaag-sociaal-casemanagment" is not in teams; did you mean "denhaag-sociaal-casemanagement"\?$/),
      expect.stringMatching(
        /^municipalities\/maastricht\.yaml:\d+ at overdueEscalation › team: team "maastricht-procesmanagment" is not in teams; did you mean "maastricht-procesmanagement"\?$/,
      ),
    ]);
  });

  it('names an overdueEscalation team of another municipality, and a multiple that is not a positive whole number', () => {
    expect(problemsOf({ 'municipalities/maastricht.yaml': (t) => t.replace('  team: maastricht-procesmanagement\n  afterTermMultiple: 3', '  team: utrecht-schuldhulp\n  afterTermMultiple: 0') })).toEqual([
      expect.stringMatching(/at overdueEscalation › team: team "utrecht-schuldhulp" is not in teams; did you mean "maastricht-schuldhulp"\?$/),
      expect.stringMatching(/at overdueEscalation › afterTermMultiple: expected a number more than 0, got 0$/),
    ]);
  });

  it('names a misspelt key with the key it was meant to be, once (not also as the missing key)', () => {
    const dir = brokenPolicy({ 'settings.yaml': (t) => t.replace('arrearsThreshold:', 'arrearsTreshold:') });
    const line = lineOf(dir, 'settings.yaml', 'arrearsTreshold:');
    expect(readPolicyDir(dir).problems.map(formatProblem)).toEqual([`settings.yaml:${line} at arrearsTreshold: unknown key; did you mean arrearsThreshold?`]);
  });

  it('names a misspelt key inside a list item, counting from 1', () => {
    expect(problemsOf({ 'municipalities/utrecht.yaml': (t) => t.replace('capacityPerYear: 120', 'capacityPerJaar: 120') })).toEqual([
      expect.stringMatching(/^municipalities\/utrecht\.yaml:\d+ at teams item 2 › capacityPerJaar: unknown key; did you mean capacityPerYear\?$/),
    ]);
  });

  it('lists the valid keys for an unknown key that is near none of them', () => {
    expect(problemsOf({ 'settings.yaml': (t) => t.replace('  minMonths: 1', '  minMonths: 1\n  colour: blue') })).toEqual([
      expect.stringMatching(/at arrearsThreshold › colour: unknown key; expected minMonths or minAmountCents$/),
    ]);
  });

  it('explains a term that fits none of its forms by the form it came nearest to, once', () => {
    expect(problemsOf({ 'settings.yaml': (t) => t.replace(/( {2}signal:\n {4})weeks: 4/, '$1weks: 4') })).toEqual([
      expect.stringMatching(/^settings\.yaml:\d+ at terms › signal › weks: unknown key; did you mean weeks\?$/),
    ]);
  });

  it('names a value of the wrong type with what was expected and what it got', () => {
    expect(problemsOf({ 'settings.yaml': (t) => t.replace('lookbackMonths: 6', 'lookbackMonths: six') })).toEqual([
      expect.stringMatching(/^settings\.yaml:\d+ at lookbackMonths: expected a number, got "six"$/),
    ]);
    expect(problemsOf({ 'settings.yaml': (t) => t.replace('lookbackMonths: 6', 'lookbackMonths: 2.5') })).toEqual([
      expect.stringMatching(/at lookbackMonths: expected a whole number, got 2.5$/),
    ]);
  });

  it('suggests the level a misspelt one was meant to be', () => {
    expect(problemsOf({ 'municipalities/denhaag.yaml': (t) => t.replace('levels: [signal]', 'levels: [signl]') })).toEqual([
      expect.stringMatching(/at routes item 1 › levels item 1: expected "signal", "case", "eviction-threat" or "urgent", got "signl"; did you mean "signal"\?$/),
    ]);
  });

  it('refuses a negative threshold, saying what was expected', () => {
    expect(problemsOf({ 'settings.yaml': (t) => t.replace(/minAmountCents: \d+/, 'minAmountCents: -7500') })).toEqual([
      expect.stringMatching(/^settings\.yaml:\d+ at arrearsThreshold › minAmountCents: expected a number at least 0, got -7500$/),
    ]);
  });

  it('names overlapping districts with the postcode area they share', () => {
    expect(problemsOf({ 'municipalities/utrecht.yaml': (t) => t.replace('binnenstad: ["3511-3513"]', 'binnenstad: ["3511-3514"]') })).toContainEqual(
      expect.stringMatching(/^municipalities\/utrecht\.yaml:\d+ at districts › \S+ item 1: postcode area 3514 is already in district "\S+": districts must not overlap$/),
    );
  });

  it('names postcode areas of the municipality that no district covers', () => {
    expect(problemsOf({ 'municipalities/utrecht.yaml': (t) => t.replace('binnenstad: ["3511-3513"]', 'binnenstad: ["3511-3512"]') })).toContainEqual(
      expect.stringMatching(/^municipalities\/utrecht\.yaml:\d+ at postcodeAreas item 1: postcode area\(s\) 3513 are in the municipality but in no district/),
    );
  });

  it("names a district area that is not among the municipality's own postcode areas", () => {
    expect(problemsOf({ 'municipalities/utrecht.yaml': (t) => t.replace(/\n {2}- "3451-3455".*/, '') })).toContainEqual(
      expect.stringMatching(
        /^municipalities\/utrecht\.yaml:\d+ at districts › vleuten-de-meern item 1: postcode area\(s\) 3451-3455 of district "vleuten-de-meern" are not in the municipality's postcodeAreas/,
      ),
    );
  });

  it('refuses two municipalities claiming one postcode area, naming the areas, both municipalities and both files', () => {
    // Den Haag also claims 1010-1013: 1011-1013 are Amsterdam's (1010 is no one's).
    const dir = brokenPolicy({ 'municipalities/denhaag.yaml': (t) => t.replace('  - "2511-2599"', '  - "2511-2599"\n  - "1010-1013"') });
    const result = checkPolicyDir(dir);
    expect(result.ok).toBe(false);
    const report = result.ok ? '' : result.report;
    expect(report).toMatch(
      /municipalities\/denhaag\.yaml:\d+ at postcodeAreas item 3: postcode area\(s\) 1011-1013 of Den Haag \(GM0518\) are also claimed by Amsterdam \(GM0363\) in municipalities\/amsterdam\.yaml at postcodeAreas item 1/,
    );
    expect(report).toMatch(/^policy in .* has 1 problem:\n/);
  });

  it('refuses an overlap with a municipality whose areas are listed in several entries, once per entry', () => {
    // Utrecht claims Den Haag's 2498 and 2511 (two entries of denhaag.yaml) in one range.
    const problems = problemsOf({ 'municipalities/utrecht.yaml': (t) => t.replace('  - "3451-3455"', '  - "3451-3455"\n  - "2498-2511"') });
    expect(problems).toContainEqual(expect.stringMatching(/at postcodeAreas item 3: postcode area\(s\) 2498 of Utrecht \(GM0344\) are also claimed by Den Haag \(GM0518\) in municipalities\/denhaag\.yaml at postcodeAreas item 1:/));
    expect(problems).toContainEqual(expect.stringMatching(/at postcodeAreas item 3: postcode area\(s\) 2511 of Utrecht \(GM0344\) are also claimed by Den Haag \(GM0518\) in municipalities\/denhaag\.yaml at postcodeAreas item 2:/));
  });

  it('refuses two partners sending from one AWS account, naming both', () => {
    const withAccount = (t: string, id: string, account: string) =>
      t.replace(new RegExp(`(  - id: ${id}\n(    .*\n)*?    municipalities: .*\n)`), `$1    accountId: "${account}"\n`);
    const problems = problemsOf({ 'partners.yaml': (t) => withAccount(withAccount(withAccount(t, 'mitros', '123456789012'), 'boex', '123456789012'), 'ssh', '210987654321') });
    expect(problems).toEqual([expect.stringMatching(/^partners\.yaml:\d+ at partners item 22 › accountId: partners mitros and boex have the same AWS account 123456789012/)]);
  });

  it('accepts partners with accounts of their own', () => {
    const dir = brokenPolicy({
      'partners.yaml': (t) =>
        t.replace('    municipalities: [GM0344]\n', '    municipalities: [GM0344]\n    accountId: "123456789012"\n').replace('    municipalities: [GM0935]\n', '    municipalities: [GM0935]\n    accountId: "210987654321"\n'),
    });
    expect(checkPolicyDir(dir)).toMatchObject({ ok: true });
  });

  it('refuses a file that is not valid YAML once, on the line of the error', () => {
    const problems = problemsOf({ 'partners.yaml': (t) => `${t}\n  - id: [unclosed\n` });
    expect(problems).toEqual([expect.stringMatching(/^partners\.yaml:\d+: not valid YAML \(column \d+\): /)]);
  });

  it('refuses a duplicate key instead of letting the last one win silently', () => {
    expect(problemsOf({ 'settings.yaml': (t) => `${t}\nlookbackMonths: 3\n` })).toEqual([
      expect.stringMatching(/^settings\.yaml:\d+: not valid YAML: a key appears twice in one mapping/),
    ]);
  });

  it('refuses a municipality whose last routes leave a level to conditions only', () => {
    expect(
      problemsOf({ 'municipalities/denhaag.yaml': (t) => t.replace(/levels: \[case, eviction-threat, urgent\]\n/, 'levels: [case, eviction-threat, urgent]\n    when: { minors: true }\n') }),
    ).toContainEqual(expect.stringMatching(/^municipalities\/denhaag\.yaml:\d+ at routes: no route takes level "case" without a condition/));
  });

  it('refuses a missing settings file and an empty municipality file', () => {
    const dir = brokenPolicy({});
    writeFileSync(join(dir, 'municipalities/empty.yaml'), '');
    rmSync(join(dir, 'settings.yaml'));
    expect(readPolicyDir(dir).problems.map(formatProblem)).toEqual([
      'settings.yaml: file is missing: every policy directory needs one',
      'municipalities/empty.yaml: the file is empty; expected a mapping of keys to values',
    ]);
  });

  it('says so when the directory does not exist, is a file or holds no policy files', () => {
    const empty = tempDir();
    const file = join(empty, 'settings.yaml.txt');
    writeFileSync(file, 'lookbackMonths: 6\n');
    mkdirSync(join(empty, 'municipalities'));
    const expected = 'expected a policy directory (settings.yaml, partners.yaml and municipalities/*.yaml), but it';
    expect(readPolicyDir(join(empty, 'nope')).problems.map(formatProblem)).toEqual([`${join(empty, 'nope')}: ${expected} does not exist`]);
    expect(readPolicyDir(file).problems.map(formatProblem)).toEqual([`${file}: ${expected} is a file, not a directory`]);
    expect(readPolicyDir(empty).problems.map(formatProblem)).toEqual([`${empty}: ${expected} holds none of those files`]);
  });

  it('reports schema problems and the checks across files in one pass, each once', () => {
    // Five problems in four files: a misspelt key, a route to a team that does not exist, a team
    // no route reaches, a value of the wrong type, and broken YAML.
    const problems = problemsOf({
      'municipalities/utrecht.yaml': (t) => t.replace('name: Utrecht\n', 'name: Utrecht\narrearsTreshold: { minMonths: 2, minAmountCents: 7500 }\n'),
      'municipalities/denhaag.yaml': (t) => t.replace('team: denhaag-sociaal-casemanagement', 'team: denhaag-wijkteam'),
      'settings.yaml': (t) => t.replace('lookbackMonths: 6', 'lookbackMonths: six'),
      'partners.yaml': (t) => `${t}\n  - id: [unclosed\n`,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^settings\.yaml:\d+ at lookbackMonths: expected a number, got "six"$/),
      expect.stringMatching(/^partners\.yaml:\d+: not valid YAML/),
      expect.stringMatching(/^municipalities\/denhaag\.yaml:\d+ at teams item 2 › id: team "denhaag-sociaal-casemanagement" is not reached by any route$/),
      expect.stringMatching(/^municipalities\/denhaag\.yaml:\d+ at routes item 2 › team: team "denhaag-wijkteam" is not in teams$/),
      expect.stringMatching(/^municipalities\/utrecht\.yaml:\d+ at arrearsTreshold: unknown key; did you mean arrearsThreshold\?$/),
    ]);
  });

  it('runs the checks across files on a file with schema problems, but none that a refused value leaves unknown', () => {
    // Amersfoort's first team has an empty name (its id is fine, so its route is not "unknown"),
    // and its VIA route names a team that does not exist.
    const problems = problemsOf({
      'municipalities/amersfoort.yaml': (t) => t.replace(/(- id: amersfoort-schuldhulp\n {4}name: ).*/, '$1""').replace('team: amersfoort-via', 'team: amersfoort-vai'),
    });
    expect(problems).toEqual([
      expect.stringMatching(/^municipalities\/amersfoort\.yaml:\d+ at teams item 1 › name: must not be empty$/),
      expect.stringMatching(/at routes item \d › team: team "amersfoort-vai" is not in teams; did you mean "amersfoort-via"\?$/),
    ]);
    // A route whose condition is refused may have been conditional: whether a level lacks an
    // unconditional route is then unknown, and not reported.
    expect(problemsOf({ 'municipalities/amersfoort.yaml': (t) => t.replace(/when: \{ *nuisance: true *\}/, 'when: { nuisance: yes-please }') })).toEqual([
      expect.stringMatching(/at routes item \d › when › nuisance: expected true or false, got "yes-please"$/),
    ]);
  });

  it('keeps loadPolicyDir for its callers: the policy, or a PolicyError with every problem', () => {
    expect(loadPolicyDir().municipalities).toHaveLength(8);
    const dir = brokenPolicy({ 'municipalities/denhaag.yaml': misspeltTeam, 'settings.yaml': (t) => t.replace('lookbackMonths: 6', 'lookbackMonths: six') });
    const error = (() => {
      try {
        loadPolicyDir(dir);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).problems).toHaveLength(2);
    expect((error as PolicyError).message).toMatch(/^the policy has 2 problems:\n {2}settings\.yaml:\d+ at lookbackMonths/);
  });
});

describe('policy:check --list-teams', () => {
  it('lists every team with its municipality, the levels routed to it and its capacity', () => {
    const rows = teamRows(loadPolicyDir());
    expect(rows).toHaveLength(59);
    expect(rows).toContainEqual({ id: 'utrecht-voorkom-huisuitzetting', municipality: 'Utrecht (GM0344)', levels: ['eviction-threat', 'urgent'], capacityPerYear: 120 });
    expect(rows).toContainEqual(expect.objectContaining({ id: 'utrecht-buurtteam-overvecht', levels: ['case'] }));
    expect(rows).toContainEqual(expect.objectContaining({ id: 'utrecht-onbekende-wijk', levels: ['case'] }));
    expect(rows.at(-1)).toEqual({ id: 'unrouted', municipality: 'catch-all', levels: ['signal', 'case', 'eviction-threat', 'urgent'] });
    const table = formatTeamTable(rows).split('\n');
    expect(table[0]).toMatch(/^team +municipality +levels +capacity per year +overdue escalated to$/);
    expect(table).toContainEqual(expect.stringMatching(/^amsterdam-mpg-wonen +Amsterdam \(GM0363\) +case, eviction-threat, urgent +25 +-$/));
  });

  it("shows Maastricht's coordinating team for overdue alerts, and the team each of its other teams escalates to", () => {
    const rows = teamRows(loadPolicyDir());
    expect(rows).toContainEqual(expect.objectContaining({ id: 'maastricht-procesmanagement', coordinatesOverdue: true }));
    expect(rows).toContainEqual(expect.objectContaining({ id: 'maastricht-vangnet-oggz', overdueEscalatedTo: 'maastricht-procesmanagement' }));
    expect(rows.filter((row) => row.overdueEscalatedTo !== undefined || row.coordinatesOverdue).map((row) => row.id)).toEqual(['maastricht-schuldhulp', 'maastricht-procesmanagement', 'maastricht-vangnet-oggz']);
    const table = formatTeamTable(rows).split('\n');
    expect(table).toContainEqual(expect.stringMatching(/^maastricht-procesmanagement +Maastricht \(GM0935\) +case, eviction-threat, urgent +- +\(coordinates the others\)$/));
    expect(table).toContainEqual(expect.stringMatching(/^maastricht-schuldhulp +Maastricht \(GM0935\) +signal +- +maastricht-procesmanagement$/));
  });
});
