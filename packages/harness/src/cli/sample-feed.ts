/** npm run samples: writes the shipped sample feed and its README to events/samples. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { SAMPLE_FEED_FILE, SAMPLE_README_FILE, SAMPLES_DIR } from '@vroegsignaal/events';
import { buildSampleFeed, renderSampleFeed, renderSampleReadme } from '../sample-feed.ts';

const feed = buildSampleFeed();
mkdirSync(SAMPLES_DIR, { recursive: true });
writeFileSync(SAMPLE_FEED_FILE, renderSampleFeed(feed));
writeFileSync(SAMPLE_README_FILE, renderSampleReadme(feed));
process.stderr.write(
  `wrote ${feed.lines.length} lines to ${SAMPLE_FEED_FILE} (${feed.problems.length} intentionally bad, lines ${feed.problems.map((p) => p.line).join(', ')}) and ${SAMPLE_README_FILE}\n`,
);
