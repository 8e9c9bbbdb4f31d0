/** npm run samples: writes the shipped sample feed and its README to events/samples. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { defineCommand, runCommand } from '@vroegsignaal/command';
import { SAMPLE_FEED_FILE, SAMPLE_README_FILE, SAMPLES_DIR } from '@vroegsignaal/events';
import { buildSampleFeed, renderSampleFeed, renderSampleReadme } from '../sample-feed.ts';

const SAMPLES = defineCommand({
  name: 'npm run samples --',
  purpose: `Writes the shipped sample feed (events/samples/feed.ndjson, with its intentionally bad lines) and its README, from the seeded generator; the same bytes every time.`,
  usage: [''],
  examples: ['npm run samples && git diff --stat events/samples'],
  options: {},
  notes: ['It takes about a second. Run it after changing the generator, and commit what changed.'],
});

process.exitCode = await runCommand(SAMPLES, process.argv.slice(2), () => {
  const feed = buildSampleFeed();
  mkdirSync(SAMPLES_DIR, { recursive: true });
  writeFileSync(SAMPLE_FEED_FILE, renderSampleFeed(feed));
  writeFileSync(SAMPLE_README_FILE, renderSampleReadme(feed));
  process.stderr.write(
    `wrote ${feed.lines.length} lines to ${SAMPLE_FEED_FILE} (${feed.problems.length} intentionally bad, lines ${feed.problems.map((p) => p.line).join(', ')}) and ${SAMPLE_README_FILE}\n`,
  );
});
