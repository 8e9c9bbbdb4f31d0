/**
 * The text of an export, whatever its encoding. Rent systems and Excel's plain "CSV" write
 * Windows-1252, Excel's "CSV UTF-8" and most other tools UTF-8 (with a BOM or without), and
 * Excel's "Unicode text" UTF-16. Read as UTF-8, a Windows-1252 "Çelik" reaches a team as
 * "�elik"; so the encoding is detected (or given), the bytes are decoded strictly, and a file
 * that is none of these is refused with the line and column where it stops being text, never
 * read half right and sent.
 *
 * Messages give positions and kinds of bytes, never the bytes or characters themselves: they
 * sit in names and addresses.
 */
import { UsageError } from './errors.ts';

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const ENCODING_NAMES: Record<Encoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'windows-1252': 'Windows-1252',
};

/** What decided the encoding: the file's byte order mark, detection, or --encoding. */
export type EncodingBasis = 'byte-order-mark' | 'detected' | 'option';

export interface ReadAs {
  encoding: Encoding;
  basis: EncodingBasis;
}

export interface DecodedText extends ReadAs {
  /** Without the byte order mark. */
  text: string;
}

export interface DecodingFailure {
  encoding: Encoding;
  /** 1-based, as a text editor shows them. */
  line: number;
  column: number;
  problem: string;
}

export class EncodingError extends UsageError {
  constructor(
    /** The furthest-reaching reading first. */
    readonly failures: readonly DecodingFailure[],
    message: string,
  ) {
    super(message);
    this.name = 'EncodingError';
  }
}

// ISO-8859-1 proper has control codes at 0x80-0x9F, which no export means: as browsers do,
// latin1 is read as Windows-1252, which has the euro sign, curly quotes, Š and Ž there.
const ALIASES = new Map<string, Encoding>([
  ['utf8', 'utf-8'],
  ['utf16le', 'utf-16le'],
  ['utf16be', 'utf-16be'],
  ['windows1252', 'windows-1252'],
  ['cp1252', 'windows-1252'],
  ['latin1', 'windows-1252'],
  ['iso88591', 'windows-1252'],
]);

/** The value of --encoding; case, `-` and `_` do not matter. */
export function parseEncoding(value: string): Encoding {
  const encoding = ALIASES.get(value.toLowerCase().replace(/[-_\s]/g, ''));
  if (!encoding) throw new UsageError(`--encoding must be one of ${ENCODINGS.join(', ')} (latin1 and iso-8859-1 are read as windows-1252)`);
  return encoding;
}

/** For the report: `read as Windows-1252 (detected; use --encoding to override)`. */
export function describeReadAs({ encoding, basis }: ReadAs): string {
  const how = basis === 'detected' ? 'detected; use --encoding to override' : basis === 'option' ? '--encoding' : 'byte order mark';
  return `read as ${ENCODING_NAMES[encoding]} (${how})`;
}

/**
 * The 1-based line and column of `text[index]`, counted as csv.ts counts records' lines and an
 * editor shows them: `\r\n`, a lone `\r` and `\n` each end a line (so Excel's `\r\r\n` ends
 * two); a column is a character, however many UTF-16 units it takes.
 */
export function positionOf(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Array.from(text.slice(lineStart, index)).length + 1 };
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UNDEFINED_IN_WINDOWS_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
// Windows-1252 is Latin-1 but for 0x80-0x9F, which hold these (WHATWG's index; the five bytes
// it leaves undefined are refused before). Not TextDecoder's: Node 20.18.3 and later, and some
// 22 to 24 releases, decode 'windows-1252' as Latin-1 there (nodejs/node#60888), so a euro
// sign or a curly quote would come out as an invisible control code.
const WINDOWS_1252_80_9F =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
const WORKBOOK_SIGNATURES = [
  [0x50, 0x4b, 0x03, 0x04], // .xlsx (a zip)
  [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], // .xls
];
const NUL_PROBLEM = 'a NUL character (binary data, not text)';
const CONTROL_PROBLEM = 'a control character (binary data, not text)';
const GENERAL_HINT = 'Save the export as "CSV UTF-8", or pass --encoding if you know its encoding.';
const OPTION_HINT = 'Leave out --encoding to have the encoding detected, or save the export as "CSV UTF-8".';
const WORKBOOK_HINT = 'This is an Excel workbook, not a CSV export: open it in Excel and save it as "CSV UTF-8".';

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((byte, i) => bytes[i] === byte);

function byteOrderMark(bytes: Uint8Array): Encoding | undefined {
  if (startsWith(bytes, UTF8_BOM)) return 'utf-8';
  if (startsWith(bytes, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(bytes, [0xfe, 0xff])) return 'utf-16be';
  return undefined;
}

/**
 * UTF-16 without a byte order mark, when its NULs make it unambiguous: text in UTF-8 or
 * Windows-1252 has no NUL at all, while the mostly ASCII text of an export in UTF-16 has one
 * in every other byte, all on one side. NULs on both sides are left to be refused (binary).
 */
function utf16WithoutBom(bytes: Uint8Array): Encoding | undefined {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const half = bytes.length / 4;
  if (even === 0 && odd >= half) return 'utf-16le';
  if (odd === 0 && even >= half) return 'utf-16be';
  return undefined;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
function invalidUtf8At(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    // The bounds of the second byte exclude overlong forms, surrogates and code points past U+10FFFF.
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k]!;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** Offset of the first unpaired surrogate, of a trailing odd byte, or -1. */
function invalidUtf16At(bytes: Uint8Array, littleEndian: boolean): number {
  const unit = (i: number) => (littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!);
  const end = bytes.length - (bytes.length % 2);
  for (let i = 0; i < end; i += 2) {
    const code = unit(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = i + 2 < end ? unit(i + 2) : -1;
      if (next < 0xdc00 || next > 0xdfff) return i;
      i += 2;
    } else if (code >= 0xdc00 && code <= 0xdfff) return i;
  }
  return end < bytes.length ? end : -1;
}

function invalidAt(bytes: Uint8Array, encoding: Encoding): { offset: number; problem: string } | undefined {
  let offset: number;
  let problem: string;
  if (encoding === 'utf-8') {
    offset = invalidUtf8At(bytes);
    problem = 'a byte that is not part of a UTF-8 character';
  } else if (encoding === 'windows-1252') {
    offset = bytes.findIndex((byte) => UNDEFINED_IN_WINDOWS_1252.has(byte));
    problem = 'a byte Windows-1252 does not define';
  } else {
    offset = invalidUtf16At(bytes, encoding === 'utf-16le');
    problem = offset === bytes.length - 1 && bytes.length % 2 === 1 ? 'the file ends half-way through a UTF-16 character' : 'half of a UTF-16 character pair';
  }
  return offset === -1 ? undefined : { offset, problem };
}

/** Index of the first control character other than tab, CR and LF (including DEL), or -1. */
function controlAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return i;
  }
  return -1;
}

/** Bytes already checked to be valid in the encoding; a byte order mark of its own is dropped. */
function decode(bytes: Uint8Array, encoding: Encoding): string {
  if (encoding !== 'windows-1252') return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_80_9F[char.charCodeAt(0) - 0x80]!);
}

/** The text, or where and why it is not text in this encoding: the first problem in the file. */
function attempt(bytes: Uint8Array, encoding: Encoding): { text: string } | { failure: DecodingFailure } {
  const invalid = invalidAt(bytes, encoding);
  // Decoded without the byte order mark, so that columns on line 1 are an editor's.
  const text = decode(invalid ? bytes.subarray(0, invalid.offset) : bytes, encoding);
  const control = controlAt(text);
  if (control !== -1) {
    const problem = text.charCodeAt(control) === 0 ? NUL_PROBLEM : CONTROL_PROBLEM;
    return { failure: { encoding, ...positionOf(text, control), problem } };
  }
  if (invalid) return { failure: { encoding, ...positionOf(text, text.length), problem: invalid.problem } };
  return { text };
}

const at = (f: DecodingFailure) => `line ${f.line}, column ${f.column}`;

function refuse(bytes: Uint8Array, failures: DecodingFailure[], basis: EncodingBasis): EncodingError {
  const hint = WORKBOOK_SIGNATURES.some((signature) => startsWith(bytes, signature)) ? WORKBOOK_HINT : basis === 'option' ? OPTION_HINT : GENERAL_HINT;
  failures.sort((a, b) => b.line - a.line || b.column - a.column);
  const [first, second] = failures as [DecodingFailure, DecodingFailure | undefined];
  let message: string;
  if (first.problem === NUL_PROBLEM || first.problem === CONTROL_PROBLEM) {
    // Binary data is not text in any encoding: where an encoding went wrong before it is moot.
    message = `the file is not text: ${at(first)}: ${first.problem}.`;
  } else if (!second) {
    const claim = basis === 'option' ? ` (--encoding ${first.encoding})` : basis === 'byte-order-mark' ? ' (its byte order mark says so)' : ' (its NUL bytes say so)';
    message = `the file is not ${ENCODING_NAMES[first.encoding]}${claim}: ${at(first)}: ${first.problem}.`;
  } else {
    // The reading that got further first: it is the likelier encoding, with a damaged byte.
    message =
      `the file is neither UTF-8 nor Windows-1252: read as ${ENCODING_NAMES[first.encoding]}, it goes wrong at ${at(first)} (${first.problem}); ` +
      `read as ${ENCODING_NAMES[second.encoding]}, at ${at(second)} (${second.problem}).`;
  }
  return new EncodingError(failures, `${message} ${hint}`);
}

/**
 * Decodes an export: in `encoding` if given, else by its byte order mark, else as UTF-16 if its
 * NULs say so, else as UTF-8 if it is valid UTF-8, else as Windows-1252. Windows-1252 text is
 * valid UTF-8 only when each of its accented letters is followed by just the right symbols, as
 * in mojibake like "Ã©"; ASCII reads the same either way. Throws an EncodingError (a usage
 * error) for a file that is none of them, or not in the encoding given.
 */
export function decodeText(bytes: Uint8Array, encoding?: Encoding): DecodedText {
  const decided = decidedBeforehand(bytes, encoding);
  if (decided) {
    const result = attempt(bytes, decided.encoding);
    if ('failure' in result) throw refuse(bytes, [result.failure], decided.basis);
    return { text: result.text, ...decided };
  }
  const failures: DecodingFailure[] = [];
  for (const candidate of ['utf-8', 'windows-1252'] as const) {
    const result = attempt(bytes, candidate);
    if ('text' in result) return { text: result.text, encoding: candidate, basis: 'detected' };
    failures.push(result.failure);
  }
  throw refuse(bytes, failures, 'detected');
}

/** The encoding the file must be in, if anything but trying says so. */
function decidedBeforehand(bytes: Uint8Array, encoding: Encoding | undefined): ReadAs | undefined {
  if (encoding) return { encoding, basis: 'option' };
  const bom = byteOrderMark(bytes);
  if (bom) return { encoding: bom, basis: 'byte-order-mark' };
  const utf16 = utf16WithoutBom(bytes);
  return utf16 ? { encoding: utf16, basis: 'detected' } : undefined;
}
