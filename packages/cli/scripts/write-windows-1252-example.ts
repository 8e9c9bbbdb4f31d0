/**
 * Writes examples/huurachterstand-export-windows-1252.csv from huurachterstand-export.csv, as
 * Excel's plain "CSV" and most rent systems would save it: Windows-1252, no BOM, CRLF. Run it
 * after changing the UTF-8 example:
 *
 *   node --import tsx packages/cli/scripts/write-windows-1252-example.ts
 *
 * The byte of each character comes from the CLI's own Windows-1252 decoder (Node's
 * TextDecoder gets 0x80-0x9F wrong, see src/encoding.ts), so no table is typed out twice.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeText } from '../src/encoding.ts';

const examples = new URL('../examples/', import.meta.url);
const byteOf = new Map<string, number>();
for (let byte = 0; byte < 256; byte++) {
  try {
    byteOf.set(decodeText(Uint8Array.of(byte), 'windows-1252').text, byte);
  } catch {
    // Not text in Windows-1252: an undefined byte or a control code.
  }
}

// Windows-1252 has no dotless ı (Turkish, as in Aydın): an export writes it as i.
const text = readFileSync(new URL('huurachterstand-export.csv', examples), 'utf8').replace(/^\uFEFF/, '').replaceAll('ı', 'i').replace(/\r?\n/g, '\r\n');

const bytes = Array.from(text, (char, index) => {
  const byte = byteOf.get(char);
  if (byte === undefined) throw new Error(`character ${index} (U+${char.codePointAt(0)!.toString(16).toUpperCase()}) has no Windows-1252 byte`);
  return byte;
});
writeFileSync(new URL('huurachterstand-export-windows-1252.csv', examples), Uint8Array.from(bytes));
