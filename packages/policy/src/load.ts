/**
 * Reads a policy directory (settings.yaml, partners.yaml, municipalities/*.yaml), checks it
 * against the schema and across files, and explains every problem with the file, the path
 * inside it and what was expected. A policy with any problem is refused whole: a typo must
 * never silently drop alerts.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import * as z from 'zod';
import { municipalitySchema, partnerSchema, settingsSchema, type Policy } from './schema.ts';
import { crossCheckPolicy } from './cross-check.ts';

const partnersFileSchema = z.strictObject({ partners: z.array(partnerSchema).min(1) });

export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../defaults', import.meta.url));

export interface PolicyProblem {
  file: string;
  /** Dotted path inside the file, empty for the file as a whole. */
  path: string;
  message: string;
}

export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID';
  constructor(readonly problems: PolicyProblem[]) {
    super(`policy has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'PolicyError';
  }
}

export function formatProblem(problem: PolicyProblem): string {
  return `${problem.file}${problem.path ? ` at ${problem.path}` : ''}: ${problem.message}`;
}

export function loadPolicyDir(dir: string = DEFAULT_POLICY_DIR): Policy {
  const problems: PolicyProblem[] = [];
  const read = <T>(file: string, schema: z.ZodType<T>): T | undefined => {
    const name = relative(dir, file) || file;
    if (!existsSync(file)) {
      problems.push({ file: name, path: '', message: 'file is missing' });
      return undefined;
    }
    const document = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        problems.push({ file: name, path: '', message: `not valid YAML: ${error.message.split('\n')[0]}` });
      }
      return undefined;
    }
    const parsed = schema.safeParse(document.toJS());
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ file: name, path: issue.path.join('.'), message: issue.message });
      }
      return undefined;
    }
    return parsed.data;
  };

  const settings = read(join(dir, 'settings.yaml'), settingsSchema);
  const partnersFile = read(join(dir, 'partners.yaml'), partnersFileSchema);
  const municipalityDir = join(dir, 'municipalities');
  const municipalityFiles = existsSync(municipalityDir)
    ? readdirSync(municipalityDir).filter((f) => f.endsWith('.yaml')).sort()
    : [];
  const municipalities = municipalityFiles.map((f) => ({
    file: join('municipalities', f),
    municipality: read(join(municipalityDir, f), municipalitySchema),
  }));

  if (problems.length > 0 || !settings || !partnersFile) throw new PolicyError(problems);
  const policy: Policy = {
    settings,
    partners: partnersFile.partners,
    municipalities: municipalities.flatMap((m) => (m.municipality ? [m.municipality] : [])),
  };
  const fileOf = (code: string) => municipalities.find((m) => m.municipality?.code === code)?.file ?? 'municipalities';
  const crossProblems = crossCheckPolicy(policy, fileOf);
  if (crossProblems.length > 0) throw new PolicyError(crossProblems);
  return policy;
}
