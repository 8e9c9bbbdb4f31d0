/**
 * npm run feed -- [--size N] [--seed S] [--out FILE]
 *
 * Writes a seeded feed of N households (default 1000) over the eight municipalities of the
 * default policy, one PutEvents entry a line, for `npm run replay -- FILE --now 2026-11-15T09:00:00+01:00`
 * and benchmarks. The same size and seed always give the same bytes. Counts go to stderr.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { DEFAULT_FEED_NOW, DEFAULT_FEED_SEED, generateFeed } from '../feed-generator.ts';

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { size: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } } });
  const size = Number(values.size ?? 1000);
  const seed = Number(values.seed ?? DEFAULT_FEED_SEED);
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(seed) || seed < 0) {
    process.stderr.write('usage: npm run feed -- [--size N] [--seed S] [--out FILE]\n');
    return 64;
  }
  const feed = generateFeed({ size, seed, policy: compilePolicy(loadPolicyDir()) });
  const text = `${feed.lines.join('\n')}\n`;
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, text);
  } else process.stdout.write(text);
  process.stderr.write(
    `${feed.entries.length} entries for ${size} households (seed ${seed}, ${feed.resends} partner resends); replay with --now ${DEFAULT_FEED_NOW}\n` +
      `households per municipality: ${Object.entries(feed.householdsByMunicipality).map(([code, n]) => `${code} ${n}`).join(', ')}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
