/**
 * Reads a policy directory (settings.yaml, partners.yaml, municipalities/*.yaml), checks it
 * against the schema and across files, and explains every problem with the file, the line,
 * where in the file and what was expected. All problems come in one pass: the checks across
 * files run on what could be read of each file, so fixing one problem does not reveal the
 * next. A policy with any problem is refused whole: a typo must never silently drop alerts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import * as z from 'zod';
import { municipalitySchema, partnerSchema, settingsSchema, type Policy } from './schema.ts';
import { crossCheckPolicy, type FileView } from './cross-check.ts';
import { PolicyError, type PolicyPath, type PolicyProblem } from './problems.ts';
import { describeIssues, isMapping, valueAt } from './schema-issues.ts';

const partnersFileSchema = z.strictObject({ partners: z.array(partnerSchema).min(1) });

export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../defaults', import.meta.url));

const SETTINGS_FILE = 'settings.yaml';
const PARTNERS_FILE = 'partners.yaml';
const MUNICIPALITY_DIR = 'municipalities';

export interface PolicyRead {
  /** The policy, when it has no problem at all. */
  policy?: Policy;
  /** Every problem, ordered by file (settings, partners, municipalities) and line. */
  problems: PolicyProblem[];
}

export function loadPolicyDir(dir: string = DEFAULT_POLICY_DIR): Policy {
  const { policy, problems } = readPolicyDir(dir);
  if (!policy) throw new PolicyError(problems);
  return policy;
}

interface FileRead<T> {
  problems: PolicyProblem[];
  /** The file's contents when they passed the schema. */
  data?: T;
  /** What the checks across files can use of it, also when it did not pass the schema. */
  view?: FileView<T>;
  /** The line a path in the file starts on. */
  lineOf(path: PolicyPath): number | undefined;
}

/** Every problem of a policy directory in one pass, and the policy when there is none. */
export function readPolicyDir(dir: string): PolicyRead {
  const directoryProblem = policyDirectoryProblem(dir);
  if (directoryProblem) return { problems: [{ file: dir, path: [], message: `expected ${POLICY_DIRECTORY}, but it ${directoryProblem}` }] };

  const municipalityDir = join(dir, MUNICIPALITY_DIR);
  const municipalityFiles = existsSync(municipalityDir)
    ? readdirSync(municipalityDir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => `${MUNICIPALITY_DIR}/${f}`)
    : [];
  const settings = readPolicyFile(dir, SETTINGS_FILE, settingsSchema);
  const partners = readPolicyFile(dir, PARTNERS_FILE, partnersFileSchema);
  const municipalities = municipalityFiles.map((file) => readPolicyFile(dir, file, municipalitySchema));
  const reads = new Map<string, FileRead<unknown>>([
    [SETTINGS_FILE, settings],
    [PARTNERS_FILE, partners],
    ...municipalities.map((read, i) => [municipalityFiles[i]!, read] as const),
  ]);

  const crossProblems = crossCheckPolicy({
    settings: settings.view,
    partners: partners.view,
    municipalities: municipalities.flatMap((m) => (m.view ? [m.view] : [])),
  }).map((problem) => ({ ...problem, line: reads.get(problem.file)?.lineOf(problem.path) }));
  const order = [...reads.keys()];
  const problems = [...[...reads.values()].flatMap((read) => read.problems), ...crossProblems].sort(
    (a, b) => order.indexOf(a.file) - order.indexOf(b.file) || (a.line ?? 0) - (b.line ?? 0),
  );
  if (problems.length > 0 || !settings.data || !partners.data) return { problems };
  return {
    policy: {
      settings: settings.data,
      partners: partners.data.partners,
      municipalities: municipalities.flatMap((m) => (m.data ? [m.data] : [])),
    },
    problems,
  };
}

/** What a policy directory holds, as the end of "expected ...". */
export const POLICY_DIRECTORY = 'a policy directory (settings.yaml, partners.yaml and municipalities/*.yaml)';

/** Why `dir` cannot be a policy directory (`does not exist`), or undefined when it may be one. */
export function policyDirectoryProblem(dir: string): string | undefined {
  if (!existsSync(dir)) return 'does not exist';
  if (!statSync(dir).isDirectory()) return 'is a file, not a directory';
  const municipalityDir = join(dir, MUNICIPALITY_DIR);
  const hasMunicipalities = existsSync(municipalityDir) && readdirSync(municipalityDir).some((f) => f.endsWith('.yaml'));
  if (!existsSync(join(dir, SETTINGS_FILE)) && !existsSync(join(dir, PARTNERS_FILE)) && !hasMunicipalities) return 'holds none of those files';
  return undefined;
}

function readPolicyFile<T>(dir: string, file: string, schema: z.ZodType<T>): FileRead<T> {
  const path = join(dir, file);
  if (!existsSync(path)) {
    return { problems: [{ file, path: [], message: 'file is missing: every policy directory needs one' }], lineOf: () => undefined };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(path, 'utf8'), { uniqueKeys: true, lineCounter });
  const lineOf = (at: PolicyPath) => lineOfPath(document, lineCounter, at);
  if (document.errors.length > 0) return { problems: yamlProblems(file, document), lineOf };

  const root: unknown = document.toJS();
  const parsed = schema.safeParse(root);
  if (parsed.success) return { problems: [], data: parsed.data, view: { file, value: parsed.data as FileView<T>['value'], intact: () => true }, lineOf };

  const described = describeIssues(parsed.error.issues, schema, root);
  const problems = described.map(({ path: at, message }) => ({ file, path: at, line: lineOf(at), message }));
  // What the schema refused is taken out, so the checks across files see only what passed,
  // and they leave alone what the refused values leave unknown.
  for (const problem of described) prune(root, problem.path);
  const unknown = described.flatMap((problem) => (problem.unknown ? [problem.unknown] : []));
  const within = (a: PolicyPath, b: PolicyPath) => a.length <= b.length && a.every((segment, i) => segment === b[i]);
  const view: FileView<T> | undefined = isMapping(root)
    ? { file, value: root as FileView<T>['value'], intact: (...at) => !unknown.some((u) => within(u, at) || within(at, u)) }
    : undefined;
  return { problems, view, lineOf };
}

/** Takes the value at `path` out of `root`; a list keeps its other items where they were. */
function prune(root: unknown, path: PolicyPath): void {
  if (path.length === 0) return;
  const parent = valueAt(root, path.slice(0, -1));
  const last = path.at(-1)!;
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = undefined;
  else if (isMapping(parent)) delete parent[last];
}

/**
 * A YAML error once: the parser's later errors in a file mostly follow from its first, so only
 * that one is told, and every duplicate key (each a problem of its own).
 */
function yamlProblems(file: string, document: Document): PolicyProblem[] {
  const first = document.errors.find((error) => error.code !== 'DUPLICATE_KEY');
  const told = document.errors.filter((error) => error.code === 'DUPLICATE_KEY' || error === first);
  return told.map((error) => {
    const [position] = error.linePos ?? [];
    const what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const message =
      error.code === 'DUPLICATE_KEY' ? 'not valid YAML: a key appears twice in one mapping (keys must be unique)' : `not valid YAML (column ${position?.col ?? '?'}): ${what}`;
    return { file, path: [], line: position?.line, message };
  });
}

function lineOfPath(document: Document, lineCounter: LineCounter, path: PolicyPath): number | undefined {
  // A missing key has no line of its own: its nearest present parent stands for it.
  for (let length = path.length; length > 0; length--) {
    const parent = length === 1 ? document.contents : document.getIn(path.slice(0, length - 1), true);
    const at = path[length - 1];
    // A key's own line, which for a nested mapping is above its first entry (and its comments).
    const node = isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === at)?.key : isSeq(parent) ? parent.items[Number(at)] : undefined;
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  const root = document.contents;
  return isNode(root) && root.range ? lineCounter.linePos(root.range[0]).line : undefined;
}
