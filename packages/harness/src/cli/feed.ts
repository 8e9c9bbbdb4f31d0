/**
 * npm run feed -- [--size N] [--seed S] [--out FILE]
 *
 * Writes a seeded feed of N households (default 1000) over the eight municipalities of the
 * default policy, one PutEvents entry a line, for `npm run replay`, `npm run policy:diff` and
 * benchmarks. The same size and seed always give the same bytes. The feed is streamed block
 * by block (see feed-generator.ts), so a million entries (about --size 440000) never sit in
 * memory whole. Counts go to stderr.
 */
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { DEFAULT_FEED_NOW, DEFAULT_FEED_SEED, feedEntries, newFeedTally } from '../feed-generator.ts';

/** Lines are written in chunks of about this many characters: few writes, little memory. */
const CHUNK_CHARS = 1 << 20;

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { size: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } } });
  const size = Number(values.size ?? 1000);
  const seed = Number(values.seed ?? DEFAULT_FEED_SEED);
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(seed) || seed < 0) {
    process.stderr.write('usage: npm run feed -- [--size N] [--seed S] [--out FILE]\n');
    return 64;
  }
  if (values.out) mkdirSync(dirname(values.out), { recursive: true });
  // stdout to a file or pipe is written synchronously on Linux, like the file, so neither buffers the feed.
  const fd = values.out ? openSync(values.out, 'w') : process.stdout.fd;
  const tally = newFeedTally();
  let chunk = '';
  try {
    for (const entry of feedEntries({ size, seed, policy: compilePolicy(loadPolicyDir()), tally })) {
      chunk += `${entry.line}\n`;
      if (chunk.length >= CHUNK_CHARS) {
        writeFileSync(fd, chunk);
        chunk = '';
      }
    }
    writeFileSync(fd, chunk);
  } finally {
    if (values.out) closeSync(fd);
  }
  const feed = values.out ?? 'FEED';
  process.stderr.write(
    `${tally.entries} entries for ${size} households (seed ${seed}, ${tally.resends} partner resends)${values.out ? ` written to ${values.out}` : ''}\n` +
      `households per municipality: ${Object.entries(tally.householdsByMunicipality).map(([code, n]) => `${code} ${n}`).join(', ')}\n` +
      `replay with: npm run replay -- ${feed} --now ${DEFAULT_FEED_NOW}\n` +
      `compare policies on it: npm run policy:diff -- --base DIR --candidate DIR --feed ${feed} --now ${DEFAULT_FEED_NOW}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
