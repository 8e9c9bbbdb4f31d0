/**
 * CSV as corporations' systems and Excel write it: `;`, `,` or tab separated, fields in double
 * quotes when they hold a separator, a quote (doubled) or a line break, an optional UTF-8 BOM,
 * and Excel's optional `sep=;` first line.
 *
 * Hand-written rather than a dependency: the whole need is RFC 4180 plus delimiter detection
 * and the physical line number of every record (for "line N: reason"), which is a hundred
 * lines; the common libraries either lack line numbers of multi-line records or bring a stream
 * framework this tool does not need.
 */
import { UsageError } from './errors.ts';

export type Delimiter = ';' | ',' | '\t';
export const DELIMITERS: readonly Delimiter[] = [';', ',', '\t'];

export interface CsvRecord {
  /** 1-based physical line on which the record starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  delimiter: Delimiter;
  headers: string[];
  headerLine: number;
  rows: CsvRecord[];
}

/** A file that is not CSV is the user's to fix, as a wrong option is: exit 64, in plain words. */
export class CsvError extends UsageError {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`the file is not valid CSV: line ${line}: ${problem}`);
    this.name = 'CsvError';
  }
}

const BOM = '\uFEFF';
const EXCEL_SEP_LINE = /^sep=(.)\r?$/i;

/**
 * The delimiter of a header line: the candidate that occurs most often outside quotes. A tie
 * goes to `;` before `,` before tab: Dutch Excel writes `;` because `,` is its decimal mark.
 */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char as Delimiter)) counts.set(char as Delimiter, counts.get(char as Delimiter)! + 1);
  }
  let best: Delimiter = ';';
  for (const delimiter of DELIMITERS) if (counts.get(delimiter)! > counts.get(best)!) best = delimiter;
  return counts.get(best)! > 0 ? best : ',';
}

/** Splits text into records; blank lines are skipped, quoted line breaks kept in their field. */
export function parseRecords(text: string, delimiter: Delimiter, firstLine = 1): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = firstLine;
  let cells: string[] = [];
  let field = '';
  let recordLine = line;
  let quoted = false;
  let quoteOpenedOn = line;
  let fieldStarted = false;

  const endRecord = () => {
    cells.push(field);
    const blank = cells.length === 1 && cells[0] === '' && !fieldStarted;
    if (!blank) records.push({ line: recordLine, cells });
    cells = [];
    field = '';
    fieldStarted = false;
  };

  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && field.trim() === '') {
      // A quote opens a quoted field only at its start (leading spaces tolerated, and dropped).
      field = '';
      quoted = true;
      fieldStarted = true;
      quoteOpenedOn = line;
    } else if (char === delimiter) {
      cells.push(field);
      field = '';
      fieldStarted = true;
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      // Text after a closing quote is kept as Excel keeps it: appended to the field.
      field += char;
    }
  }
  if (quoted) throw new CsvError(quoteOpenedOn, 'a quoted field is never closed (a " is missing)');
  if (field !== '' || cells.length > 0 || fieldStarted) endRecord();
  return records;
}

/** Parses a whole export: BOM, `sep=` line, header, rows. */
export function parseCsv(text: string, options: { delimiter?: Delimiter } = {}): CsvTable {
  let body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  let firstLine = 1;
  let delimiter = options.delimiter;
  const firstBreak = body.search(/\r?\n|\r/);
  const first = firstBreak === -1 ? body : body.slice(0, firstBreak);
  const sep = EXCEL_SEP_LINE.exec(first);
  if (sep && DELIMITERS.includes(sep[1] as Delimiter)) {
    delimiter ??= sep[1] as Delimiter;
    body = body.slice(first.length).replace(/^\r?\n|^\r/, '');
    firstLine = 2;
  }
  if (delimiter === undefined) {
    const headerText = body.split(/\r?\n|\r/).find((l) => l.trim() !== '') ?? '';
    delimiter = detectDelimiter(headerText);
  }
  const records = parseRecords(body, delimiter, firstLine);
  const header = records.shift();
  if (!header) throw new CsvError(firstLine, 'the file has no header line');
  return { delimiter, headers: header.cells.map((h) => h.trim()), headerLine: header.line, rows: records };
}
