/**
 * The sample feed shipped in events/samples (written by `npm run samples`): where it is, and
 * the replay clock it is written for, for `npm start` and the tests.
 */
import { fileURLToPath } from 'node:url';

/** The replay clock the sample feed is written for: `npm run replay -- events/samples/feed.ndjson --now SAMPLE_FEED_NOW`. */
export const SAMPLE_FEED_NOW = '2026-11-15T09:00:00+01:00';
export const SAMPLES_DIR = fileURLToPath(new URL('../samples/', import.meta.url));
export const SAMPLE_FEED_FILE = fileURLToPath(new URL('../samples/feed.ndjson', import.meta.url));
export const SAMPLE_README_FILE = fileURLToPath(new URL('../samples/README.md', import.meta.url));
