/**
 * The house's layers, checked on every import: events < policy < domain < adapters < functions <
 * infra and tools (calendar beneath events: it has no dependencies, and the contract's own date
 * checks use it). A package reaches another through its entry point only (`@vroegsignaal/x`,
 * never a path into its src/), and never by a relative path; tests may import any package's
 * entry point, and reach nothing else outside test/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What each part of the house may import (besides itself and npm packages). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  calendar: [],
  command: [],
  events: ['calendar'],
  policy: ['events', 'calendar'],
  domain: ['policy', 'events', 'calendar'],
  adapters: ['domain', 'policy', 'events', 'calendar'],
  'engine-memory': ['domain', 'policy', 'events', 'calendar'],
  functions: ['adapters', 'domain', 'policy', 'events', 'calendar'],
  cli: ['command', 'adapters', 'domain', 'policy', 'events', 'calendar'],
  infra: ['adapters', 'domain', 'policy', 'events', 'calendar'],
  'stand-ins': ['functions', 'adapters', 'domain', 'policy', 'events', 'calendar'],
  tools: ['command', 'stand-ins', 'engine-memory', 'functions', 'adapters', 'domain', 'policy', 'events', 'calendar'],
  harness: ['command', 'tools', 'stand-ins', 'engine-memory', 'infra', 'functions', 'adapters', 'domain', 'policy', 'events', 'calendar'],
  test: ['*'],
};

/** Pure parts: no AWS SDK, CDK or Lambda runtime library in them. */
const PURE = new Set(['calendar', 'events', 'policy', 'domain', 'engine-memory']);
const AWS_LIBRARIES = /^(@aws-sdk\/|aws-cdk-lib|@aws-lambda-powertools\/|@middy\/|constructs$)/;

interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

/** The part of the house a file belongs to, or undefined for files outside it (config). */
function partOf(path: string): string | undefined {
  const [top, name] = path.split('/');
  if (top === 'packages') return name;
  return top === 'events' || top === 'functions' || top === 'infra' || top === 'test' ? top : undefined;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]).filter((s): s is string => s !== undefined);
}

/** Every import that breaks the rules, as `file: specifier (why)`. */
function violations(files: readonly SourceFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const part = partOf(file.path);
    if (part === undefined) continue;
    const allowed = MAY_IMPORT[part];
    if (allowed === undefined) {
      found.push(`${file.path}: part "${part}" has no place in the layers`);
      continue;
    }
    for (const specifier of importsOf(file.text)) {
      if (specifier.startsWith('.')) {
        const target = normalize(join(dirname(file.path), specifier)).split('\\').join('/');
        if (partOf(target) !== part) found.push(`${file.path}: ${specifier} (a relative import into ${partOf(target) ?? target}; import its package entry point)`);
        continue;
      }
      const internal = /^@vroegsignaal\/([^/]+)(\/.*)?$/.exec(specifier);
      if (internal) {
        const [, target, subpath] = internal as unknown as [string, string, string | undefined];
        if (subpath) found.push(`${file.path}: ${specifier} (a path into another package; import its entry point)`);
        else if (target !== part && !allowed.includes('*') && !allowed.includes(target)) found.push(`${file.path}: ${specifier} (${part} may not import ${target})`);
        continue;
      }
      if (PURE.has(part) && AWS_LIBRARIES.test(specifier)) found.push(`${file.path}: ${specifier} (${part} stays free of AWS libraries)`);
    }
  }
  return found;
}

function sourceFiles(dir: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.name === 'node_modules' || entry.name === 'cdk.out') continue;
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) files.push({ path, text: readFileSync(join(ROOT, path), 'utf8') });
  }
  return files;
}

describe('the layers', () => {
  const files = ['events', 'functions', 'infra', 'packages', 'test'].flatMap(sourceFiles);

  it('finds the whole house', () => {
    const parts = new Set(files.map((f) => partOf(f.path)));
    expect([...parts].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
    expect(files.length).toBeGreaterThan(150);
  });

  it('has every import follow the layers, through package entry points', () => {
    expect(violations(files)).toEqual([]);
  });

  it('has a package.json with one entry point per package', () => {
    for (const part of Object.keys(MAY_IMPORT).filter((p) => p !== 'test')) {
      const dir = ['events', 'functions', 'infra'].includes(part) ? part : `packages/${part}`;
      const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string> };
      expect(manifest.name).toBe(`@vroegsignaal/${part}`);
      expect(Object.keys(manifest.exports)).toEqual(['.']);
    }
  });

  it('is what the folder table in the README lists, folder for folder', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([a-z-]+\/(?:[a-z-]+\/)?)` \|/gm)].map((m) => m[1]!.replace(/\/$/, ''));
    const packages = readdirSync(join(ROOT, 'packages')).map((name) => `packages/${name}`);
    expect([...listed].sort()).toEqual(['docs', 'events', 'functions', 'infra', 'test', ...packages].sort());
  });

  describe('the check itself', () => {
    const file = (path: string, text: string): SourceFile => ({ path, text });

    it('fails a relative import into another package, from a package or a test', () => {
      expect(violations([file('packages/tools/src/replay.ts', "import { x } from '../../stand-ins/src/pipeline.ts';")])).toHaveLength(1);
      expect(violations([file('test/unit/x.test.ts', "import { y } from '../../packages/domain/src/apply.ts';")])).toHaveLength(1);
      expect(violations([file('infra/constructs/bind.ts', "import { ENV } from '../../functions/lib/environment.ts';")])).toHaveLength(1);
    });

    it('fails an import up the layers, a path into a package, and AWS in the domain', () => {
      expect(violations([file('packages/domain/src/x.ts', "import { DynamoHouseholdStore } from '@vroegsignaal/adapters';")])).toHaveLength(1);
      expect(violations([file('infra/x.ts', "import { createIngestHandler } from '@vroegsignaal/functions';")])).toHaveLength(1);
      expect(violations([file('packages/tools/src/x.ts', "export { y } from '@vroegsignaal/domain/src/apply.ts';")])).toHaveLength(1);
      expect(violations([file('packages/domain/src/x.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';")])).toHaveLength(1);
      expect(violations([file('events/src/x.ts', "const m = await import('@vroegsignaal/domain');")])).toHaveLength(1);
    });

    it('passes imports within a package and down the layers', () => {
      const ok = [
        file('packages/domain/src/x.ts', "import { a } from './apply.ts';\nimport type { CompiledPolicy } from '@vroegsignaal/policy';"),
        file('functions/ingest/handler.ts', "import { middify } from '../lib/middify.ts';\nimport { ingestEntry } from '@vroegsignaal/domain';"),
        file('test/unit/x.test.ts', "import { fixtures } from './fixtures.ts';\nimport { startStandIns } from '@vroegsignaal/stand-ins';"),
      ];
      expect(violations(ok)).toEqual([]);
    });
  });
});
