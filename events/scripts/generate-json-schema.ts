/**
 * Writes events/schemas/*.json from the zod schemas: `npm run schemas`.
 * Files no longer generated are removed, so the folder is exactly the published set.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemas } from '../src/json-schema.ts';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
const files = renderJsonSchemas();

mkdirSync(outDir, { recursive: true });
for (const existing of readdirSync(outDir)) {
  if (existing.endsWith('.json') && !(existing in files)) rmSync(join(outDir, existing));
}
for (const [name, content] of Object.entries(files)) {
  writeFileSync(join(outDir, name), content);
}
process.stderr.write(`wrote ${Object.keys(files).length} JSON Schema files to ${outDir}\n`);
