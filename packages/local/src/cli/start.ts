/** npm start: the whole pipeline on local stand-ins, replaying the shipped sample feed. */
import { fileURLToPath } from 'node:url';
import { main } from './replay.ts';
import { SAMPLE_FEED_NOW } from '../../../../events/scripts/generate-sample-feed.ts';

const feed = fileURLToPath(new URL('../../../../events/samples/feed.ndjson', import.meta.url));
process.exitCode = await main([feed, '--now', SAMPLE_FEED_NOW, '--out', '.data/start/team-messages.ndjson', '--outcomes', '.data/start/outcomes.ndjson', ...process.argv.slice(2)]);
