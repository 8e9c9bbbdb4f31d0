/**
 * A DDAS document checked as the statistics office would and as our own code does: against
 * the committed JSON Schema (events/schemas/DdasUitwisselmodel.json) with Ajv's draft 2020-12
 * validator and its formats, and against the zod schema it was generated from.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ddasUitwisselmodelSchema } from '@vroegsignaal/events';

const schema = JSON.parse(readFileSync('events/schemas/DdasUitwisselmodel.json', 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

export interface DdasVerdicts {
  /** Ajv's errors as `path: message`, empty when the JSON Schema accepts it. */
  ajv: string[];
  /** zod's issues as `path: message`, empty when the zod schema accepts it. */
  zod: string[];
}

export function checkDdas(document: unknown): DdasVerdicts {
  const ajvErrors = validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
  const parsed = ddasUitwisselmodelSchema.safeParse(document);
  const zodIssues = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  return { ajv: ajvErrors, zod: zodIssues };
}
