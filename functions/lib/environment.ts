/**
 * Reads the environment a deployed function is given (the names: ENV in @vroegsignaal/adapters).
 * Parsed when the module loads, so a missing variable fails the cold start with a message
 * that names it.
 */
import * as z from 'zod';
import type { EnvName } from '@vroegsignaal/adapters';

export class EnvironmentError extends Error {
  readonly code = 'ENVIRONMENT_INVALID';
  constructor(missing: string[]) {
    super(`missing or empty environment variable(s): ${missing.join(', ')}`);
    this.name = 'EnvironmentError';
  }
}

/** Reads the named variables; throws an EnvironmentError naming every one that is missing. */
export function readEnvironment<const N extends EnvName>(names: readonly N[], source: NodeJS.ProcessEnv = process.env): Record<N, string> {
  const schema = z.object(Object.fromEntries(names.map((name) => [name, z.string().min(1)])) as Record<N, z.ZodString>);
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new EnvironmentError([...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))]);
  return parsed.data as Record<N, string>;
}
