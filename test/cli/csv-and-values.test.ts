/**
 * Reading exports as corporations' systems and Excel write them: delimiters, quotes, BOM,
 * line numbers of multi-line records, decimal commas, Dutch dates, house numbers with letters.
 */
import { describe, expect, it } from 'vitest';
import { CsvError, detectDelimiter, parseCsv } from '@vroegsignaal/cli';
import {
  detectDecimalMark,
  eurosToCents,
  normalisePostcodeCell,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseObservedAt,
  splitHouseNumber,
} from '@vroegsignaal/cli';

describe('CSV parsing', () => {
  it('detects ";", "," and tab from the header line, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('Postcode;Huisnummer;"Achterstand, EUR"')).toBe(';');
    expect(detectDelimiter('postcode,house number,"arrears; EUR"')).toBe(',');
    expect(detectDelimiter('postcode\thouse number\tarrears')).toBe('\t');
    // A tie goes to ";": Dutch Excel writes it because "," is its decimal mark.
    expect(detectDelimiter('a;b,c')).toBe(';');
    expect(detectDelimiter('single')).toBe(',');
  });

  it('strips a UTF-8 BOM and reads CRLF lines', () => {
    const table = parseCsv('\uFEFFPostcode;Huisnummer\r\n3521 AK;12\r\n3522 HV;7\r\n');
    expect(table.headers).toEqual(['Postcode', 'Huisnummer']);
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['3521 AK', '12'],
      ['3522 HV', '7'],
    ]);
  });

  it('reads quoted fields: doubled quotes, the delimiter and line breaks inside them', () => {
    const table = parseCsv('naam;opmerking;bedrag\n"Yilmaz; Y.";"zegt ""morgen"" te betalen";"1.234,56"\nJansen;"twee\nregels";12\nde Vries;;3\n');
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['Yilmaz; Y.', 'zegt "morgen" te betalen', '1.234,56'],
      ['Jansen', 'twee\nregels', '12'],
      ['de Vries', '', '3'],
    ]);
    // A record's line is where it starts; a quoted line break moves the next one down.
    expect(table.rows.map((r) => r.line)).toEqual([2, 3, 5]);
  });

  it('skips blank lines but keeps counting them', () => {
    const table = parseCsv('a,b\n\n1,2\n\r\n3,4');
    expect(table.rows).toEqual([
      { line: 3, cells: ['1', '2'] },
      { line: 5, cells: ['3', '4'] },
    ]);
  });

  it("honours Excel's sep= line and numbers lines after it", () => {
    const table = parseCsv('sep=,\nPostcode,Huisnummer;letter\n3521 AK,12;A\n');
    expect(table.delimiter).toBe(',');
    expect(table.headerLine).toBe(2);
    expect(table.rows[0]).toEqual({ line: 3, cells: ['3521 AK', '12;A'] });
  });

  it('reads tab-separated exports', () => {
    const table = parseCsv('postcode\thouse number\n3521 AK\t12\n');
    expect(table.delimiter).toBe('\t');
    expect(table.rows[0]!.cells).toEqual(['3521 AK', '12']);
  });

  it('fails on a quote that is never closed, naming the line it opened on', () => {
    expect(() => parseCsv('a;b\n1;"open\n2;3\n')).toThrow(CsvError);
    expect(() => parseCsv('a;b\n1;"open\n2;3\n')).toThrow(/line 2: a quoted field is never closed/);
  });
});

describe('cell values', () => {
  it('reads amounts with a decimal comma or point, thousands separators and a euro sign', () => {
    expect(eurosToCents('1.234,56', ',')).toBe(123456);
    expect(eurosToCents('1234,5', ',')).toBe(123450);
    expect(eurosToCents('€ 850,00', ',')).toBe(85000);
    expect(eurosToCents('EUR 1 234,56', ',')).toBe(123456);
    expect(eurosToCents('1,234.56', '.')).toBe(123456);
    expect(eurosToCents('812.35', '.')).toBe(81235);
    // A negative amount is read as such; the contract ("greater than 0") rejects it, with a reason.
    expect(eurosToCents('-125,00', ',')).toBe(-12500);
    expect(eurosToCents('', ',')).toBeUndefined();
    expect(eurosToCents('n.v.t.', ',')).toBeNull();
  });

  it('lets the file decide only what is ambiguous: one separator followed by three digits', () => {
    expect(parseDecimal('1.234', ',')).toBe(1234);
    expect(parseDecimal('1.234', '.')).toBe(1.234);
    expect(parseDecimal('1,5', '.')).toBe(1.5);
    expect(parseDecimal('1.5', ',')).toBe(1.5);
    expect(parseDecimal('1.234.567', '.')).toBe(1234567);
    expect(detectDecimalMark(['802,95', '1.318,80', '1'])).toBe(',');
    expect(detectDecimalMark(['737.45', '1474.90'])).toBe('.');
  });

  it('reads Dutch and ISO dates and refuses dates that do not exist', () => {
    expect(parseDate('02-11-2026')).toBe('2026-11-02');
    expect(parseDate('2-1-2026')).toBe('2026-01-02');
    expect(parseDate('02/11/2026')).toBe('2026-11-02');
    expect(parseDate('02.11.2026 00:00')).toBe('2026-11-02');
    expect(parseDate('2026-11-02')).toBe('2026-11-02');
    expect(parseDate('31-02-2026')).toBeNull();
    expect(parseDate('11/02/2026', 'mm/dd/yyyy')).toBe('2026-11-02');
    expect(parseDate('2026-11-02', 'dd-mm-yyyy')).toBeNull();
  });

  it('makes a date the start of that day in Amsterdam, with the offset of the day', () => {
    expect(parseObservedAt('02-11-2026')).toBe('2026-11-02T00:00:00+01:00');
    expect(parseObservedAt('02-07-2026')).toBe('2026-07-02T00:00:00+02:00');
    expect(parseObservedAt('2026-11-02T10:00:00Z')).toBe('2026-11-02T11:00:00+01:00');
  });

  it('reads yes and no in Dutch and English', () => {
    expect(['ja', 'J', 'yes', 'Y', 'true', '1', 'x'].map(parseBoolean)).toEqual(Array(7).fill(true));
    expect(['nee', 'N', 'no', 'false', '0'].map(parseBoolean)).toEqual(Array(5).fill(false));
    expect(parseBoolean('')).toBeUndefined();
    expect(parseBoolean('misschien')).toBeNull();
  });

  it('splits a house number cell that carries its letter or addition', () => {
    expect(splitHouseNumber('12')).toEqual({ houseNumber: 12 });
    expect(splitHouseNumber('14A')).toEqual({ houseNumber: 14, houseLetter: 'A' });
    expect(splitHouseNumber('7-2')).toEqual({ houseNumber: 7, addition: '2' });
    expect(splitHouseNumber('55 bis')).toEqual({ houseNumber: 55, addition: 'BIS' });
    expect(splitHouseNumber('9b-3h')).toEqual({ houseNumber: 9, houseLetter: 'B', addition: '3H' });
    expect(splitHouseNumber('n/a')).toBeNull();
  });

  it('normalises a postcode only when it is one', () => {
    expect(normalisePostcodeCell(' 3521  ak ')).toBe('3521AK');
    expect(normalisePostcodeCell('352 KL')).toBe('352 KL');
    expect(normalisePostcodeCell('')).toBeUndefined();
  });
});
