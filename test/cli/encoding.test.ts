/**
 * Exports in the encodings corporations' systems and Excel write: UTF-8 with or without BOM,
 * UTF-16 with or without BOM, Windows-1252; a file that is none of them refused with the line
 * and column an editor shows; line numbers right with any mix of line endings.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCompiledPolicy } from '../support/local-pipeline.ts';
import { decodeText, describeReadAs, EncodingError, parseCsv, parseEncoding, positionOf, prepareCsv, runPartnerCli, UsageError } from '@vroegsignaal/cli';
import type { CliIo, DecodingFailure, Encoding } from '@vroegsignaal/cli';

const NOW = Date.parse('2026-11-15T09:00:00+01:00');
const EXAMPLE = 'packages/cli/examples/huurachterstand-export.csv';
const EXAMPLE_1252 = 'packages/cli/examples/huurachterstand-export-windows-1252.csv';

// WHATWG's index-windows-1252 for 0x80-0x9F (null: undefined); the rest is Latin-1. Written out
// here rather than taken from TextDecoder, which gets exactly these wrong on Node 20.18.3+.
const WHATWG_80_9F = [
  0x20ac, null, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, null, 0x017d, null, null, 0x2018, 0x2019, 0x201c,
  0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, null, 0x017e, 0x0178,
];
const isTextCharacter = (code: number) => code >= 0x20 ? code !== 0x7f : code === 0x09 || code === 0x0a || code === 0x0d;
/** Every character Windows-1252 can hold in text, and its byte. */
const CP1252 = new Map<string, number>();
for (let byte = 0; byte < 256; byte++) {
  const code = byte >= 0x80 && byte < 0xa0 ? WHATWG_80_9F[byte - 0x80] : byte;
  if (code !== null && code !== undefined && isTextCharacter(code)) CP1252.set(String.fromCodePoint(code), byte);
}
const cp1252 = (text: string) => Uint8Array.from(Array.from(text, (char) => CP1252.get(char)!));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const utf16 = (text: string, encoding: 'utf-16le' | 'utf-16be') => {
  const bytes = new Uint8Array(Buffer.from(text, 'utf16le'));
  if (encoding === 'utf-16be') for (let i = 0; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!];
  return bytes;
};
const concat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((part) => Array.from(part)));

function refusal(bytes: Uint8Array, encoding?: Encoding): EncodingError {
  try {
    decodeText(bytes, encoding);
  } catch (error) {
    expect(error).toBeInstanceOf(EncodingError);
    expect(error).toBeInstanceOf(UsageError);
    return error as EncodingError;
  }
  throw new Error('expected the file to be refused');
}
const where = (failure: DecodingFailure | undefined) => failure && { encoding: failure.encoding, line: failure.line, column: failure.column };

describe('--encoding', () => {
  it('takes the four encodings, case and dashes as you like, latin1 and iso-8859-1 as windows-1252', () => {
    expect(['UTF-8', 'utf8'].map(parseEncoding)).toEqual(['utf-8', 'utf-8']);
    expect(['utf-16le', 'UTF16BE'].map(parseEncoding)).toEqual(['utf-16le', 'utf-16be']);
    expect(['windows-1252', 'CP1252', 'latin1', 'ISO-8859-1', 'iso_8859_1'].map(parseEncoding)).toEqual(Array(5).fill('windows-1252'));
    for (const bad of ['ebcdic', 'utf-32', 'constructor', '']) expect(() => parseEncoding(bad)).toThrow(/--encoding must be one of utf-8, utf-16le, utf-16be, windows-1252/);
  });
});

describe('detection and decoding', () => {
  const TEXT = 'Naam;Achterstand\r\nAhmet Çelik;€ 725,00\r\nMustafa Öztürk;“1.033,65”\r\n';

  it('reads UTF-8 without a BOM, and with one (dropped)', () => {
    expect(decodeText(utf8(TEXT))).toEqual({ text: TEXT, encoding: 'utf-8', basis: 'detected' });
    expect(decodeText(utf8(`\uFEFF${TEXT}`))).toEqual({ text: TEXT, encoding: 'utf-8', basis: 'byte-order-mark' });
  });

  it('reads UTF-16 (LE and BE) with a BOM, and without one when its NULs leave no doubt', () => {
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      expect(decodeText(utf16(`\uFEFF${TEXT}`, encoding))).toEqual({ text: TEXT, encoding, basis: 'byte-order-mark' });
      expect(decodeText(utf16(TEXT, encoding))).toEqual({ text: TEXT, encoding, basis: 'detected' });
    }
    // NULs on both sides of the units: binary, or UTF-16 of text with U+xx00 characters; only --encoding says which.
    const both = utf16('a;b\n\u0100\u0200;\u4e00\n', 'utf-16le');
    expect(refusal(both).message).toMatch(/^the file is not text: line 1, column 2: a NUL character/);
    expect(decodeText(both, 'utf-16le').text).toBe('a;b\n\u0100\u0200;\u4e00\n');
  });

  it('reads Windows-1252: Çelik stays Çelik, and 0x80-0x9F are the euro sign, curly quotes, Š, Ž and the rest', () => {
    expect(decodeText(cp1252(TEXT))).toEqual({ text: TEXT, encoding: 'windows-1252', basis: 'detected' });
    const defined = WHATWG_80_9F.flatMap((code, i) => (code === null ? [] : [{ byte: 0x80 + i, code }]));
    expect(defined).toHaveLength(27);
    const decoded = decodeText(Uint8Array.from([0xc7, ...defined.map((d) => d.byte)])).text;
    expect(Array.from(decoded, (char) => char.codePointAt(0))).toEqual([0xc7, ...defined.map((d) => d.code)]);
  });

  it('reads plain ASCII as UTF-8 (the same text either way), and text that is valid UTF-8 as UTF-8', () => {
    expect(decodeText(utf8('Postcode;Huisnummer\n3521 AK;12\n')).encoding).toBe('utf-8');
    // "Ã©" in Windows-1252 is the bytes of "é" in UTF-8: mojibake, which is what UTF-8 read wrongly looks like.
    expect(decodeText(cp1252('Ã©')).text).toBe('é');
  });

  it('refuses a byte Windows-1252 does not define, when the file is not UTF-8 either, with both positions', () => {
    for (const byte of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) {
      const error = refusal(concat(cp1252('Naam;Bedrag\r\nÇelik;'), [byte], cp1252('12\r\n')));
      // Windows-1252 got further (line 2, column 7) than UTF-8 (line 2, column 1): it comes first.
      expect(error.failures.map(where)).toEqual([
        { encoding: 'windows-1252', line: 2, column: 7 },
        { encoding: 'utf-8', line: 2, column: 1 },
      ]);
      expect(error.message).toBe(
        'the file is neither UTF-8 nor Windows-1252: read as Windows-1252, it goes wrong at line 2, column 7 (a byte Windows-1252 does not define); ' +
          'read as UTF-8, at line 2, column 1 (a byte that is not part of a UTF-8 character). Save the export as "CSV UTF-8", or pass --encoding if you know its encoding.',
      );
      expect(where(refusal(concat(cp1252('a;b\r\n'), [byte]), 'windows-1252').failures[0])).toEqual({ encoding: 'windows-1252', line: 2, column: 1 });
    }
  });

  it('refuses NUL and control bytes in any encoding (tab, CR and LF are text), and names an Excel workbook', () => {
    const binary = concat(utf8('Postcode;Huisnummer\n3521 AK;'), [0x00, 0x01, 0xff], utf8('\n'));
    expect(refusal(binary).message).toBe('the file is not text: line 2, column 9: a NUL character (binary data, not text). Save the export as "CSV UTF-8", or pass --encoding if you know its encoding.');
    for (const encoding of ['utf-8', 'windows-1252'] as const) expect(where(refusal(binary, encoding).failures[0])).toEqual({ encoding, line: 2, column: 9 });
    expect(where(refusal(utf16('a;b\n\u0007\n', 'utf-16le')).failures[0])).toEqual({ encoding: 'utf-16le', line: 2, column: 1 });
    // Binary data after a byte that is not UTF-8 is still binary data.
    expect(refusal(concat(utf8('a;b\n'), [0xc3, 0x28, 0x0a, 0x00])).message).toMatch(/^the file is not text: line 3, column 1: a NUL character/);
    expect(refusal(concat(cp1252('a;b\r\n'), [0x7f])).message).toMatch(/^the file is not text: line 2, column 1: a control character/);
    const xlsx = concat([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], [0x81, 0xc3, 0x28]);
    expect(refusal(xlsx).message).toBe(
      'the file is not text: line 1, column 3: a control character (binary data, not text). This is an Excel workbook, not a CSV export: open it in Excel and save it as "CSV UTF-8".',
    );
    expect(decodeText(utf8('a\tb\r\nc\td\n')).text).toBe('a\tb\r\nc\td\n');
  });

  it('follows --encoding over detection, and refuses a file that is not in it', () => {
    const file = cp1252(TEXT);
    const error = refusal(file, 'utf-8');
    expect(error.message).toBe(
      'the file is not UTF-8 (--encoding utf-8): line 2, column 7: a byte that is not part of a UTF-8 character. Leave out --encoding to have the encoding detected, or save the export as "CSV UTF-8".',
    );
    // Forced, UTF-8 is read as Windows-1252 if asked: the user's call, said in the report.
    expect(decodeText(utf8('Çelik\n'), 'windows-1252')).toEqual({ text: 'Ã‡elik\n', encoding: 'windows-1252', basis: 'option' });
    expect(decodeText(utf8(TEXT), 'utf-8').basis).toBe('option');
    const odd = utf16('a;b\r\nÇelik\nx', 'utf-16le').subarray(0, 21);
    expect(refusal(odd, 'utf-16le').message).toMatch(/^the file is not UTF-16LE \(--encoding utf-16le\): line 2, column 6: the file ends half-way through a UTF-16 character/);
    const lone = concat(utf16('a;b\n', 'utf-16be'), [0xd8, 0x3d, 0x00, 0x41]);
    expect(where(refusal(lone, 'utf-16be').failures[0])).toEqual({ encoding: 'utf-16be', line: 2, column: 1 });
  });

  it('believes a byte order mark: a UTF-8 BOM on a file that is not UTF-8 is refused, not guessed around', () => {
    expect(refusal(concat([0xef, 0xbb, 0xbf], cp1252('a;b\nÇ\n'))).message).toMatch(/^the file is not UTF-8 \(its byte order mark says so\): line 2, column 1: /);
  });

  it('says how it read the file', () => {
    expect(describeReadAs({ encoding: 'windows-1252', basis: 'detected' })).toBe('read as Windows-1252 (detected; use --encoding to override)');
    expect(describeReadAs({ encoding: 'utf-8', basis: 'byte-order-mark' })).toBe('read as UTF-8 (byte order mark)');
    expect(describeReadAs({ encoding: 'utf-16le', basis: 'option' })).toBe('read as UTF-16LE (--encoding)');
  });

  it('never puts what the file holds in a message', () => {
    const names = ['Ahmet Çelik', 'Mustafa Öztürk', '06-13800546'];
    const file = concat(cp1252(`Naam;Telefoon\r\n${names[0]};${names[2]}\r\n${names[1]};`), [0x81]);
    for (const encoding of [undefined, 'utf-8', 'windows-1252'] as const) {
      const { message } = refusal(file, encoding);
      for (const value of [...names, 'Çelik', 'elik', 'Öztürk', 'ztürk', '0x81', '81']) expect(message).not.toContain(value);
    }
  });
});

/** The line an editor shows for text[index]: CRLF, CR and LF each end a line. */
const editorLine = (text: string, index: number) => text.slice(0, index).split(/\r\n|\r|\n/).length;

describe('line numbers with any line endings', () => {
  it('counts \\r\\n, \\r\\r\\n (two: an editor shows a blank line), \\n and a lone \\r as an editor does', () => {
    const text = 'h1;h2\r\nr2;x\r\r\nr4;x\nr5;x\rr6;"two\r\r\nlines"\r\nr9;x';
    expect(parseCsv(text).rows.map((r) => [r.cells[0], r.line])).toEqual([
      ['r2', 2],
      ['r4', 4],
      ['r5', 5],
      ['r6', 6],
      ['r9', 9],
    ]);
    for (const row of ['r2', 'r4', 'r5', 'r6', 'r9']) expect(positionOf(text, text.indexOf(row))).toEqual({ line: Number(row.slice(1)), column: 1 });
  });

  it('gives a decoding problem the line and column an editor shows, after any line endings and multi-line fields', () => {
    const file = concat(cp1252('Naam;Opmerking\r\r\nJansen;"twee\rregels"\nÇelik;'), [0x81]);
    expect(where(refusal(file, 'windows-1252').failures[0])).toEqual({ encoding: 'windows-1252', line: 5, column: 7 });
    // A column is a character: one for an emoji (two UTF-16 units), as in an editor.
    expect(positionOf('a\n😀é;x', 5)).toEqual({ line: 2, column: 3 });
  });
});

/** Characters cells are made of, with the separator, quotes and line breaks among them. */
const CELL_CHARACTERS = ['a', 'B', '7', ' ', ',', ';', '"', '\n', '\r', 'é', 'Ç', '€', '’'];
const LINE_ENDINGS = ['\n', '\r\n', '\r', '\r\r\n'];

/** A CSV text with any line endings and the offset at which each record starts. */
const csvWithLineEndings = fc
  .array(fc.tuple(fc.array(fc.string({ unit: fc.constantFrom(...CELL_CHARACTERS), maxLength: 8 }), { minLength: 2, maxLength: 4 }), fc.constantFrom(...LINE_ENDINGS)), {
    minLength: 1,
    maxLength: 12,
  })
  .map((records) => {
    let text = '';
    const starts: number[] = [];
    for (const [cells, ending] of records) {
      starts.push(text.length);
      text += cells.map((cell) => (/[;"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(';') + ending;
    }
    return { text, starts };
  });

describe('properties', () => {
  const cp1252Characters = [...CP1252.keys()];
  const accented = cp1252Characters.filter((char) => char >= 'À' && char <= 'ÿ');
  const ascii = cp1252Characters.filter((char) => char < '\u0080');
  // Text that starts with the characters of a byte order mark's bytes is read by that mark: a
  // header starting with "ÿþ" or "ï»¿" is no export's.
  const noMarkAtStart = (text: string) => !/^(\u00EF\u00BB\u00BF|\u00FF\u00FE|\u00FE\u00FF)/.test(text);

  it('any Windows-1252 text with an accented letter before ASCII (as in Çelik) is detected and decoded exactly', () => {
    // An accented letter followed by ASCII is never UTF-8, so such text is not ambiguous.
    const witness = fc.tuple(fc.constantFrom(...accented), fc.constantFrom(...ascii)).map(([a, b]) => a + b);
    const text = fc.string({ unit: fc.constantFrom(...cp1252Characters), maxLength: 200 });
    fc.assert(
      fc.property(text, witness, text, (before, middle, after) => {
        const source = before + middle + after;
        fc.pre(noMarkAtStart(source));
        expect(decodeText(cp1252(source))).toEqual({ text: source, encoding: 'windows-1252', basis: 'detected' });
        expect(decodeText(cp1252(source), 'windows-1252').text).toBe(source);
      }),
      { numRuns: 300 },
    );
  });

  it('any Windows-1252 text reads back exactly, or is valid UTF-8 and read as such (only mojibake is)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...cp1252Characters), maxLength: 60 }).filter(noMarkAtStart), (source) => {
        const bytes = cp1252(source);
        const decoded = decodeText(bytes);
        if (decoded.encoding === 'windows-1252') expect(decoded.text).toBe(source);
        else expect(decoded.text).toBe(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
      }),
      { numRuns: 300 },
    );
  });

  const anyText = fc.string({ unit: 'binary', maxLength: 80 }).filter((s) => Buffer.from(s, 'utf8').toString('utf8') === s && Array.from(s).every((char) => isTextCharacter(char.codePointAt(0)!)));

  it('any text in UTF-8, with or without a BOM, is detected and decoded exactly', () => {
    fc.assert(
      fc.property(anyText, (source) => {
        expect(decodeText(utf8(`\uFEFF${source}`))).toEqual({ text: source, encoding: 'utf-8', basis: 'byte-order-mark' });
        // Without a BOM, text that starts with U+FEFF is indistinguishable from text with one.
        if (!source.startsWith('\uFEFF')) expect(decodeText(utf8(source))).toEqual({ text: source, encoding: 'utf-8', basis: 'detected' });
      }),
      { numRuns: 300 },
    );
  });

  it('any text in UTF-16 with a BOM is decoded exactly', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('utf-16le' as const, 'utf-16be' as const), (source, encoding) => {
        expect(decodeText(utf16(`\uFEFF${source}`, encoding))).toEqual({ text: source, encoding, basis: 'byte-order-mark' });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses bytes as UTF-8 exactly when WHATWG does, at the character where its decoder puts the first �', () => {
    const byte = fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.constantFrom(0x0a, 0x0d),
      // Not 0xBD: then no valid EF BF BD (a literal U+FFFD) can be taken for the decoder's.
      fc.integer({ min: 0x80, max: 0xff }).filter((b) => b !== 0xbd),
      fc.constantFrom(0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf),
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 40 }), (list) => {
        const bytes = Uint8Array.from(list);
        const replaced = new TextDecoder('utf-8').decode(bytes);
        let whatwg = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          whatwg = false;
        }
        if (whatwg) {
          expect(decodeText(bytes, 'utf-8').text).toBe(replaced);
          return;
        }
        expect(where(refusal(bytes, 'utf-8').failures[0])).toEqual({ encoding: 'utf-8', ...positionOf(replaced, replaced.indexOf('\uFFFD')) });
      }),
      { numRuns: 1000 },
    );
  });

  it('numbers records as an editor shows their lines, with any mix of line endings, in any encoding', () => {
    fc.assert(
      fc.property(csvWithLineEndings, fc.constantFrom('utf-8', 'windows-1252', 'utf-16le' as const), ({ text, starts }, encoding) => {
        const bytes = encoding === 'utf-8' ? utf8(text) : encoding === 'windows-1252' ? cp1252(text) : utf16(`\uFEFF${text}`, 'utf-16le');
        // Given the encoding: detection has its own properties, and "Ç€" in Windows-1252 is valid UTF-8.
        const decoded = decodeText(bytes, encoding);
        expect(decoded.text).toBe(text);
        const table = parseCsv(decoded.text, { delimiter: ';' });
        expect([table.headerLine, ...table.rows.map((r) => r.line)]).toEqual(starts.map((start) => editorLine(text, start)));
        for (const start of starts) expect(positionOf(text, start)).toEqual({ line: editorLine(text, start), column: 1 });
      }),
      { numRuns: 300 },
    );
  });

  it('reports a bad byte on the line an editor shows, with any mix of line endings', () => {
    fc.assert(
      fc.property(csvWithLineEndings, fc.nat(), ({ text, starts }, pick) => {
        const start = starts[pick % starts.length]!;
        const bytes = concat(cp1252(text.slice(0, start)), [0x9d], cp1252(text.slice(start)));
        expect(where(refusal(bytes, 'windows-1252').failures[0])).toEqual({ encoding: 'windows-1252', line: editorLine(text, start), column: 1 });
      }),
      { numRuns: 300 },
    );
  });
});

describe('the Windows-1252 example export', () => {
  const policy = defaultCompiledPolicy();
  const fromUtf8 = prepareCsv(readFileSync(EXAMPLE), { partnerId: 'mitros', policy, nowMs: NOW });
  const from1252 = prepareCsv(readFileSync(EXAMPLE_1252), { partnerId: 'mitros', policy, nowMs: NOW });

  it('is the UTF-8 example as Excel saves it: Windows-1252, no BOM, CRLF, the ı it lacks as i', () => {
    const expected = readFileSync(EXAMPLE, 'utf8').replace(/^\uFEFF/, '').replaceAll('ı', 'i').replace(/\r?\n/g, '\r\n');
    expect(decodeText(readFileSync(EXAMPLE_1252))).toEqual({ text: expected, encoding: 'windows-1252', basis: 'detected' });
    expect(from1252.readAs).toEqual({ encoding: 'windows-1252', basis: 'detected' });
    expect(fromUtf8.readAs).toEqual({ encoding: 'utf-8', basis: 'byte-order-mark' });
  });

  it('gives the same rows, rejections and signal ids as the UTF-8 example, with names and the euro amount intact', () => {
    expect(from1252.rejected).toEqual(fromUtf8.rejected);
    expect(from1252.rows.map((r) => [r.line, r.signalId])).toEqual(fromUtf8.rows.map((r) => [r.line, r.signalId]));
    const names = (file: typeof fromUtf8) => file.rows.map((r) => (r.detail.contact as { name?: string } | undefined)?.name);
    expect(names(from1252)).toEqual(names(fromUtf8).map((name) => name?.replaceAll('ı', 'i')));
    expect(names(from1252)).toEqual(expect.arrayContaining(['Ahmet Çelik', 'Mustafa Öztürk']));
    expect((from1252.rows.find((r) => r.line === 12)!.detail.arrears as { amountCents: number }).amountCents).toBe(103365);
  });

  it('is not read as UTF-8 when told so, and text given as a string is taken as it is', () => {
    expect(() => prepareCsv(readFileSync(EXAMPLE_1252), { partnerId: 'mitros', policy, nowMs: NOW, encoding: 'utf-8' })).toThrow(/^the file is not UTF-8 \(--encoding utf-8\): line 12, column 109: /);
    expect(prepareCsv(readFileSync(EXAMPLE, 'utf8'), { partnerId: 'mitros', policy, nowMs: NOW }).readAs).toBeUndefined();
  });
});

describe('vroegsignaal-partner, in process', () => {
  const io = () => {
    const captured = { out: '', err: '' };
    const cliIo: CliIo = {
      stdout: (t) => {
        captured.out += t;
      },
      stderr: (t) => {
        captured.err += t;
      },
      stderrIsTTY: false,
      env: {},
    };
    return { captured, cliIo };
  };

  it('outcomes reads the file as push does: a wrong --encoding is a usage error with the line, before any table is asked', async () => {
    const { captured, cliIo } = io();
    const code = await runPartnerCli(['outcomes', EXAMPLE_1252, '--partner', 'mitros', '--encoding', 'utf-8', '--dynamodb-endpoint', 'http://127.0.0.1:9'], cliIo);
    expect(code).toBe(64);
    expect(captured.err).toMatch(/^usage error: the file is not UTF-8 \(--encoding utf-8\): line 12, column 109: /);
    expect(captured.out).toBe('');
  });

  it('push --json says how the file was read; an unknown --encoding is a usage error', async () => {
    const json = io();
    expect(await runPartnerCli(['push', EXAMPLE_1252, '--partner', 'mitros', '--dry-run', '--json', '--now', '2026-11-15T09:00:00+01:00', '--encoding', 'latin1'], json.cliIo)).toBe(0);
    expect(JSON.parse(json.captured.out).readAs).toEqual({ encoding: 'windows-1252', basis: 'option' });
    const bad = io();
    expect(await runPartnerCli(['push', EXAMPLE, '--partner', 'mitros', '--dry-run', '--encoding', 'ascii'], bad.cliIo)).toBe(64);
    expect(bad.captured.err).toMatch(/^usage error: --encoding must be one of/);
  });
});
