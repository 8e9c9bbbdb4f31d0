/**
 * npm run feed: writes a seeded feed of N households (default 1000) over the eight municipalities of the
 * default policy, one PutEvents entry a line, for `npm run replay`, `npm run policy:diff` and
 * benchmarks. The same size and seed always give the same bytes. The feed is streamed block
 * by block (see feed-generator.ts), so a million entries (about --size 440000) never sit in
 * memory whole. Counts go to stderr.
 */
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkOutputFile, defineCommand, integerOption, runCommand } from '@vroegsignaal/command';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { DEFAULT_FEED_NOW, DEFAULT_FEED_SEED, feedEntries, newFeedTally } from '../feed-generator.ts';

const FEED = defineCommand({
  name: 'npm run feed --',
  purpose: 'Writes a seeded feed of PutEvents entries (NDJSON) over the eight municipalities of the default policy, for npm run replay, policy:diff and benchmarks; the same size and seed give the same bytes.',
  usage: ['[--size N] [--seed S] [--out FILE]'],
  examples: ['npm run feed -- --size 1000 --out .data/feed.ndjson', 'npm run feed -- --size 441000 --out /tmp/feed-1m.ndjson'],
  options: {
    size: { type: 'string', value: 'N', description: 'households (default 1000; about 2.3 entries each)' },
    seed: { type: 'string', value: 'S', description: `the seed (default ${DEFAULT_FEED_SEED})` },
    out: { type: 'string', value: 'FILE', description: 'write the feed here (default stdout); counts go to stderr' },
  },
  notes: ['A thousand households take a second or two; a million entries (--size 441000) about 25 s, streamed, never whole in memory.'],
});

/** Lines are written in chunks of about this many characters: few writes, little memory. */
const CHUNK_CHARS = 1 << 20;

process.exitCode = await runCommand(FEED, process.argv.slice(2), ({ values }) => {
  const size = integerOption(values.size, 'size', 1) ?? 1000;
  const seed = integerOption(values.seed, 'seed', 0) ?? DEFAULT_FEED_SEED;
  if (values.out) {
    checkOutputFile(values.out, 'a file to write the feed to (--out)');
    mkdirSync(dirname(values.out), { recursive: true });
  }
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
});
