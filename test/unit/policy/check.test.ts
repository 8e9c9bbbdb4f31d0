/**
 * policy:check refuses a broken policy with a precise message: the file, the path inside it
 * and what was expected. Each case copies the shipped defaults and breaks one thing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPolicyDir } from '@vroegsignaal/tools';
import { DEFAULT_POLICY_DIR } from '@vroegsignaal/policy';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the defaults with `file` edited by `edit`. */
function brokenPolicy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  dirs.push(dir);
  cpSync(DEFAULT_POLICY_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(path, after);
  return dir;
}

function problemsOf(dir: string): string {
  const result = checkPolicyDir(dir);
  if (result.ok) throw new Error('expected the policy to be refused');
  return result.report;
}

describe('policy:check', () => {
  it('passes the shipped defaults and says what it checked', () => {
    const result = checkPolicyDir(DEFAULT_POLICY_DIR);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.summary).toContain('8 municipalities, 59 teams');
  });

  it('names a route whose team does not exist', () => {
    const dir = brokenPolicy('municipalities/denhaag.yaml', (t) => t.replace('team: denhaag-sociaal-casemanagement', 'team: denhaag-sociaal-casemanagment'));
    expect(problemsOf(dir)).toContain('municipalities/denhaag.yaml at routes.1.team: team "denhaag-sociaal-casemanagment" is not in teams');
  });

  it('names a team no route reaches', () => {
    const dir = brokenPolicy('municipalities/denhaag.yaml', (t) => t.replace('team: denhaag-sociaal-casemanagement', 'team: denhaag-schuldhulp'));
    expect(problemsOf(dir)).toMatch(/municipalities\/denhaag\.yaml at teams\.1\.id: team "denhaag-sociaal-casemanagement" is not reached by any route/);
  });

  it('names overlapping districts with the postcode area they share', () => {
    const dir = brokenPolicy('municipalities/utrecht.yaml', (t) => t.replace('binnenstad: ["3511-3513"]', 'binnenstad: ["3511-3514"]'));
    expect(problemsOf(dir)).toMatch(/municipalities\/utrecht\.yaml at districts\.\S+: postcode area 3514 is already in district "\S+": districts must not overlap/);
  });

  it('names postcode areas of the municipality that no district covers', () => {
    const dir = brokenPolicy('municipalities/utrecht.yaml', (t) => t.replace('binnenstad: ["3511-3513"]', 'binnenstad: ["3511-3512"]'));
    expect(problemsOf(dir)).toContain('municipalities/utrecht.yaml at postcodeAreas.0: postcode area(s) 3513 are in the municipality but in no district');
  });

  it('names a district area that is not among the municipality\'s own postcode areas', () => {
    const dir = brokenPolicy('municipalities/utrecht.yaml', (t) => t.replace(/\n {2}- "3451-3455".*/, ''));
    expect(problemsOf(dir)).toContain(
      'municipalities/utrecht.yaml at districts.vleuten-de-meern.0: postcode area(s) 3451-3455 of district "vleuten-de-meern" are not in the municipality\'s postcodeAreas',
    );
  });

  it('refuses two municipalities claiming one postcode area, naming the areas, both municipalities and both files', () => {
    // Den Haag also claims 1010-1013: 1011-1013 are Amsterdam's (1010 is no one's).
    const dir = brokenPolicy('municipalities/denhaag.yaml', (t) => t.replace('  - "2511-2599"', '  - "2511-2599"\n  - "1010-1013"'));
    const report = problemsOf(dir);
    expect(report).toContain(
      'municipalities/denhaag.yaml at postcodeAreas.2: postcode area(s) 1011-1013 of Den Haag (GM0518) are also claimed by Amsterdam (GM0363) in municipalities/amsterdam.yaml at postcodeAreas.0',
    );
    expect(report).toContain('policy in');
    expect(report).toMatch(/has 1 problem\(s\)/);
  });

  it('refuses an overlap with a municipality whose areas are listed in several entries, once per entry', () => {
    // Utrecht claims Den Haag's 2498 and 2511 (two entries of denhaag.yaml) in one range.
    const dir = brokenPolicy('municipalities/utrecht.yaml', (t) => t.replace('  - "3451-3455"', '  - "3451-3455"\n  - "2498-2511"'));
    const report = problemsOf(dir);
    expect(report).toContain('municipalities/utrecht.yaml at postcodeAreas.2: postcode area(s) 2498 of Utrecht (GM0344) are also claimed by Den Haag (GM0518) in municipalities/denhaag.yaml at postcodeAreas.0');
    expect(report).toContain('municipalities/utrecht.yaml at postcodeAreas.2: postcode area(s) 2511 of Utrecht (GM0344) are also claimed by Den Haag (GM0518) in municipalities/denhaag.yaml at postcodeAreas.1');
  });

  it('refuses two partners sending from one AWS account, naming both', () => {
    const withAccount = (t: string, id: string, account: string) =>
      t.replace(new RegExp(`(  - id: ${id}\n(    .*\n)*?    municipalities: .*\n)`), `$1    accountId: "${account}"\n`);
    const dir = brokenPolicy('partners.yaml', (t) => withAccount(withAccount(withAccount(t, 'mitros', '123456789012'), 'boex', '123456789012'), 'ssh', '210987654321'));
    const report = problemsOf(dir);
    expect(report).toContain('partners.yaml at partners.21.accountId: partners mitros and boex have the same AWS account 123456789012');
    expect(report).toMatch(/has 1 problem\(s\)/);
  });

  it('accepts partners with accounts of their own', () => {
    const dir = brokenPolicy('partners.yaml', (t) =>
      t.replace('    municipalities: [GM0344]\n', '    municipalities: [GM0344]\n    accountId: "123456789012"\n').replace('    municipalities: [GM0935]\n', '    municipalities: [GM0935]\n    accountId: "210987654321"\n'),
    );
    expect(checkPolicyDir(dir)).toMatchObject({ ok: true });
  });

  it('refuses a negative threshold, saying what was expected', () => {
    const dir = brokenPolicy('settings.yaml', (t) => t.replace(/minAmountCents: \d+/, 'minAmountCents: -7500'));
    expect(problemsOf(dir)).toMatch(/settings\.yaml at arrearsThreshold\.minAmountCents: .*(>=|at least|greater).*0/i);
  });

  it('refuses a file that is not valid YAML, naming the file', () => {
    const dir = brokenPolicy('partners.yaml', (t) => `${t}\n  - id: [unclosed\n`);
    expect(problemsOf(dir)).toMatch(/partners\.yaml: not valid YAML/);
  });

  it('refuses a duplicate key instead of letting the last one win silently', () => {
    const dir = brokenPolicy('settings.yaml', (t) => `${t}\nlookbackMonths: 3\n`);
    expect(problemsOf(dir)).toMatch(/settings\.yaml: not valid YAML: .*unique/i);
  });

  it('refuses an unknown field, so that a misspelt setting is not ignored', () => {
    const dir = brokenPolicy('settings.yaml', (t) => `${t}\nlookbackMonth: 3\n`);
    expect(problemsOf(dir)).toMatch(/settings\.yaml.*lookbackMonth/);
  });

  it('refuses a municipality whose last routes leave a level to conditions only', () => {
    const dir = brokenPolicy('municipalities/denhaag.yaml', (t) => t.replace(/levels: \[case, eviction-threat, urgent\]\n/, 'levels: [case, eviction-threat, urgent]\n    when: { minors: true }\n'));
    expect(problemsOf(dir)).toContain('municipalities/denhaag.yaml at routes: no route takes level "case" without a condition');
  });

  it('refuses a missing settings file', () => {
    const dir = brokenPolicy('settings.yaml', () => '');
    rmSync(join(dir, 'settings.yaml'));
    expect(problemsOf(dir)).toContain('settings.yaml: file is missing');
  });
});
