/**
 * From export to contract entries: header mapping (built-in and from a mapping file),
 * validation with the pipeline's schemas and intake's checks, reasons with line numbers and
 * without values, and signal ids that stay the same for the same row.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePartnerDetail } from '@vroegsignaal/events';
import { defaultCompiledPolicy } from '../support/local-pipeline.ts';
import { parseCsv } from '@vroegsignaal/cli';
import { UsageError } from '@vroegsignaal/cli';
import { defaultFieldFor, loadMappingFile, parseMappingFile, planColumns } from '@vroegsignaal/cli';
import { deriveSignalId, prepareCsv } from '@vroegsignaal/cli';

const NOW = Date.parse('2026-11-15T09:00:00+01:00');
const EXAMPLE = 'packages/cli/examples/huurachterstand-export.csv';
const OTHER = 'packages/cli/examples/export-other-system.csv';
const MAPPING = 'packages/cli/examples/mapping.json';
const policy = defaultCompiledPolicy();

const dutch = (rows: string[]) =>
  ['Peildatum;Postcode;Huisnummer;Huisletter;Toevoeging;Gemeente;Achterstand (EUR);Maanden achterstand;Huur;Betalingsregeling;Naam;Telefoon;E-mail;Aantal kinderen', ...rows].join('\n');

describe('header mapping', () => {
  it('knows common Dutch and English headers, whatever their case and punctuation', () => {
    expect(defaultFieldFor('Achterstand (EUR)')).toBe('arrears.amountEuros');
    expect(defaultFieldFor('Maanden achterstand')).toBe('arrears.monthsInArrears');
    expect(defaultFieldFor('months in arrears')).toBe('arrears.monthsInArrears');
    expect(defaultFieldFor('House number')).toBe('address.houseNumber');
    expect(defaultFieldFor('Huisnr.')).toBe('address.houseNumber');
    expect(defaultFieldFor('E-mail')).toBe('contact.email');
    expect(defaultFieldFor('Peildatum')).toBe('observedAt');
    expect(defaultFieldFor('Observed at')).toBe('observedAt');
    expect(defaultFieldFor('Aantal kinderen')).toBe('household.minors');
    expect(defaultFieldFor('Betalingsregeling')).toBe('arrears.paymentArrangement');
    expect(defaultFieldFor('Klantnummer')).toBeUndefined();
  });

  it('lists the columns it does not use, and refuses two columns for one field', () => {
    const plan = planColumns(['Klantnummer', 'Postcode', 'Plaats']);
    expect(plan.columns).toEqual([{ index: 1, header: 'Postcode', field: 'address.postcode' }]);
    expect(plan.unused).toEqual(['Klantnummer', 'Plaats']);
    expect(() => planColumns(['Postcode', 'Zip code'])).toThrow(/columns "Postcode" and "Zip code" both feed address.postcode/);
  });

  it('takes a mapping file: named columns, null for left out, constants, and warns of names not in the file', () => {
    const mapping = parseMappingFile(JSON.stringify({ columns: { 'Balance date': 'observedAt', Postcode: null, Missing: 'contact.name' }, constants: { municipalityCode: 'GM0344' } }));
    const plan = planColumns(['balance DATE', 'Postcode', 'Huisnummer'], mapping);
    expect(plan.columns.map((c) => c.field)).toEqual(['observedAt', 'address.houseNumber']);
    expect(plan.unused).toEqual([]);
    expect(plan.constants).toEqual({ municipalityCode: 'GM0344' });
    expect(plan.warnings).toEqual(['the mapping names column "Missing", which the file does not have']);
  });

  it('rejects a mapping file with unknown fields or keys, saying where', () => {
    expect(() => parseMappingFile('{"columns":{"X":"address.street"}}')).toThrow(/columns.X: expected one of/);
    expect(() => parseMappingFile('{"colums":{}}')).toThrow(/unknown key\(s\) "colums"/);
    expect(() => parseMappingFile('not json')).toThrow(UsageError);
  });

  it('says which columns a file lacks, once, instead of rejecting every row', () => {
    expect(() => prepareCsv('Postcode;Huisnummer\n3521 AK;12\n', { partnerId: 'mitros', policy, nowMs: NOW })).toThrow(
      /no column for observedAt .*arrears.amountCents .*arrears.monthsInArrears/,
    );
  });
});

describe('the shipped example export', () => {
  const prepared = prepareCsv(readFileSync(EXAMPLE, 'utf8'), { partnerId: 'mitros', policy, nowMs: NOW });

  it('is read as Dutch Excel writes it: ";", decimal comma, every column but two used', () => {
    expect(prepared.delimiter).toBe(';');
    expect(prepared.decimalMark).toBe(',');
    expect(prepared.plan.unused).toEqual(['Huurcontract', 'Plaats']);
    expect(prepared.total).toBe(40);
  });

  it('rejects exactly its four bad rows, by line, naming the field and the column', () => {
    expect(prepared.rejected.map((r) => r.line)).toEqual([8, 15, 23, 31]);
    const [postcode, houseNumber, negative, future] = prepared.rejected.map((r) => r.reason);
    expect(postcode).toBe('address.postcode (column "Postcode"): expected a Dutch postcode like "1234 AB"');
    expect(houseNumber).toBe('address.houseNumber (column "Huisnummer"): required, expected an integer from 1 to 99999');
    expect(negative).toContain('arrears.amountCents (column "Achterstand (EUR)"): expected an integer greater than 0');
    expect(future).toBe('observedAt (column "Peildatum"): is more than 5 minutes in the future');
    // Counted by the rule the pipeline would have rejected them by.
    expect(prepared.rejected.map((r) => r.rule)).toEqual(['contract', 'contract', 'contract', 'observed-at']);
  });

  it('never puts a cell value in a reason', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const cells = parseCsv(text)
      .rows.flatMap((r) => r.cells)
      .filter((cell) => cell.length >= 3 && !/^(ja|nee|Utrecht|0344)$/.test(cell));
    for (const { reason } of prepared.rejected) for (const cell of cells) expect(reason).not.toContain(cell);
  });

  it('turns every other row into a detail the pipeline accepts', () => {
    expect(prepared.rows).toHaveLength(36);
    for (const row of prepared.rows) {
      expect(parsePartnerDetail(row.detailType, JSON.parse(row.entry.Detail)).ok).toBe(true);
      expect(row.entry.Source).toBe('partner.mitros');
    }
    const first = prepared.rows.find((r) => r.line === 3)!.detail;
    expect(first).toEqual({
      schemaVersion: 1,
      signalId: first.signalId,
      observedAt: '2026-10-26T00:00:00+01:00',
      municipalityCode: 'GM0344',
      address: { postcode: '3521BE', houseNumber: 85, houseLetter: 'A', houseNumberAddition: '2' },
      household: { minors: 2 },
      contact: { name: 'Mohamed El Amrani', phone: '06-29336112', email: 'mohamed.elamrani@voorbeeld.nl' },
      arrears: { amountCents: 131880, monthsInArrears: 1.5, monthlyRentCents: 87920, reminderSentAt: '2026-10-05', paymentArrangement: false },
    });
  });

  it('keeps a quoted name with the delimiter in it, and reads an amount with a euro sign', () => {
    expect((prepared.rows.find((r) => r.line === 5)!.detail.contact as { name: string }).name).toBe('Yilmaz; Y.');
    expect((prepared.rows.find((r) => r.line === 12)!.detail.arrears as { amountCents: number }).amountCents).toBe(103365);
  });
});

describe('the example with a mapping file', () => {
  const prepared = prepareCsv(readFileSync(OTHER, 'utf8'), { mapping: loadMappingFile(MAPPING), policy, nowMs: NOW });

  it('takes partner, delimiter, decimal point, date format and municipality from the mapping', () => {
    expect(prepared.partnerId).toBe('portaal');
    expect(prepared.delimiter).toBe(',');
    expect(prepared.decimalMark).toBe('.');
    expect(prepared.rejected).toEqual([{ line: 5, rule: 'contract', reason: 'address.houseNumber (column "House no"): expected a house number like 12, 12A or 12-2' }]);
    expect(prepared.rows).toHaveLength(7);
  });

  it('splits letters and additions out of the house number, and computes months from the rent', () => {
    const detail = prepared.rows.find((r) => r.line === 2)!.detail;
    expect(detail.address).toEqual({ postcode: '3525BK', houseNumber: 14, houseLetter: 'A' });
    expect(detail.arrears).toEqual({ amountCents: 147490, monthsInArrears: 2, monthlyRentCents: 73745, paymentArrangement: false });
    expect(prepared.rows.find((r) => r.line === 3)!.detail.address).toEqual({ postcode: '3526GJ', houseNumber: 7, houseNumberAddition: '2' });
    expect((prepared.rows.find((r) => r.line === 7)!.detail.arrears as { monthsInArrears: number }).monthsInArrears).toBe(0.4);
  });
});

describe('registration checks', () => {
  const row = '02-11-2026;3521 AK;12;;;GM0344;802,95;1;802,95;nee;;;;';

  it('refuses a partner the policy does not know, once for the whole file', () => {
    expect(() => prepareCsv(dutch([row]), { partnerId: 'nobody', policy, nowMs: NOW })).toThrow(/partner "nobody" is not registered in the policy/);
    expect(prepareCsv(dutch([row]), { partnerId: 'nobody', nowMs: NOW }).rows).toHaveLength(1);
  });

  it("rejects a row in a municipality the partner is not registered for, and reads a municipality's name", () => {
    const prepared = prepareCsv(dutch([row.replace('GM0344', 'Den Haag'), row.replace('GM0344', 'utrecht')]), { partnerId: 'mitros', policy, nowMs: NOW });
    expect(prepared.rejected).toEqual([{ line: 2, rule: 'municipality', reason: 'municipalityCode (column "Gemeente"): partner "mitros" is not registered for municipality GM0518' }]);
    expect(prepared.rows[0]!.detail.municipalityCode).toBe('GM0344');
  });

  it("uses the partner's only municipality when the file has none", () => {
    const text = 'Peildatum;Postcode;Huisnummer;Achterstand;Maanden\n02-11-2026;3521 AK;12;802,95;1\n';
    const prepared = prepareCsv(text, { partnerId: 'mitros', policy, nowMs: NOW });
    expect(prepared.rows[0]!.detail.municipalityCode).toBe('GM0344');
    expect(() => prepareCsv(text, { partnerId: 'portaal', policy, nowMs: NOW })).toThrow(/no column for municipalityCode/);
  });

  it('rejects observedAt more than 400 days old, and a row with the wrong number of fields', () => {
    const prepared = prepareCsv(dutch([row.replace('02-11-2026', '01-10-2025'), `${row};extra`]), { partnerId: 'mitros', policy, nowMs: NOW });
    expect(prepared.rejected.map((r) => r.reason)).toEqual([
      'observedAt (column "Peildatum"): is more than 400 days ago',
      'the row has 15 fields where the header has 14 (is there a ";" in a value that is not in quotes?)',
    ]);
  });
});

describe('signal ids', () => {
  const row = '02-11-2026;3521 AK;12;a;2;GM0344;1.605,90;2;802,95;nee;;;;';

  it('are the same for the same row, in this file or the next', () => {
    const a = prepareCsv(dutch([row]), { partnerId: 'mitros', policy, nowMs: NOW });
    const b = prepareCsv(dutch(['02-11-2026;3521 ak;12;A;2;GM0344;1605,90;2,0;802,95;ja;Other Name;;;1']), { partnerId: 'mitros', policy, nowMs: NOW });
    expect(a.rows[0]!.signalId).toMatch(/^mitros-[0-9a-f]{24}$/);
    // Spelling of postcode and amount, contact data and arrangement do not change the signal.
    expect(b.rows[0]!.signalId).toBe(a.rows[0]!.signalId);
  });

  it('are the same for the same facts in another export format', () => {
    const dutchRow = prepareCsv(dutch(['03-11-2026;3525 BK;14;A;;GM0344;1474,90;2;737,45;nee;;;;']), { partnerId: 'portaal', policy, nowMs: NOW });
    const other = prepareCsv(readFileSync(OTHER, 'utf8'), { mapping: loadMappingFile(MAPPING), policy, nowMs: NOW });
    expect(dutchRow.rows[0]!.signalId).toBe(other.rows.find((r) => r.line === 2)!.signalId);
  });

  it('change with the date, the amount, the months or the dwelling', () => {
    const ids = ['02-11-2026;3521 AK;12;A;2', '03-11-2026;3521 AK;12;A;2', '02-11-2026;3521 AL;12;A;2', '02-11-2026;3521 AK;14;A;2', '02-11-2026;3521 AK;12;B;2', '02-11-2026;3521 AK;12;A;3']
      .map((start) => `${start};GM0344;1605,90;2;802,95;nee;;;;`)
      .concat(['02-11-2026;3521 AK;12;A;2;GM0344;1605,91;2;802,95;nee;;;;', '02-11-2026;3521 AK;12;A;2;GM0344;1605,90;2,5;802,95;nee;;;;'])
      .map((r) => prepareCsv(dutch([r]), { partnerId: 'mitros', policy, nowMs: NOW }).rows[0]!.signalId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('follow the documented formula', () => {
    const detail = { observedAt: '2026-11-02T00:00:00+01:00', address: { postcode: '3521 ak', houseNumber: 12, houseLetter: 'a' }, arrears: { amountCents: 160590, monthsInArrears: 2 } };
    const expected = createHash('sha256').update('mitros|3521AK|12|A||2026-11-02|160590|2').digest('hex').slice(0, 24);
    expect(deriveSignalId('mitros', 'RentArrearsReported', detail)).toBe(`mitros-${expected}`);
  });

  it('make an identical row later in the file a repeat, sent once', () => {
    const prepared = prepareCsv(dutch([row, row]), { partnerId: 'mitros', policy, nowMs: NOW });
    expect(prepared.rows).toHaveLength(1);
    expect(prepared.repeated).toEqual([{ line: 3, sameAs: 2, signalId: prepared.rows[0]!.signalId }]);
  });
});

describe('nuisance rows, through a type column', () => {
  it('become NuisanceReported with Dutch category and severity words', () => {
    const text = 'Soort;Datum;Postcode;Huisnummer;Categorie;Ernst;Achterstand;Maanden\noverlast;02-11-2026;3521 AK;12;geluid;hoog;;\nhuurachterstand;02-11-2026;3521 AK;12;;;802,95;1\noverlast;02-11-2026;3521 AK;12;gezellig;hoog;;\n';
    const prepared = prepareCsv(text, { partnerId: 'mitros', policy, nowMs: NOW });
    expect(prepared.rows.map((r) => r.detailType)).toEqual(['NuisanceReported', 'RentArrearsReported']);
    expect(prepared.rows[0]!.detail.nuisance).toEqual({ category: 'noise', severity: 'high' });
    expect(prepared.rows[0]!.signalId).not.toBe(prepared.rows[1]!.signalId);
    expect(prepared.rejected).toEqual([{ line: 4, rule: 'contract', reason: expect.stringMatching(/^nuisance.category \(column "Categorie"\): expected one of noise, threat/) }]);
  });
});
