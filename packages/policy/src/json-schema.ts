/**
 * The policy document's JSON Schema, generated from its zod schema: AppConfig validates every
 * config deployment against it before a single function sees the new policy.
 */
import * as z from 'zod';
import { policySchema } from './schema.ts';

export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(policySchema, { target: 'draft-4', io: 'input' }) as Record<string, unknown>;
}
