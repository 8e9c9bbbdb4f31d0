/** npm start: the whole pipeline on local stand-ins, replaying the shipped sample feed. */
import { SAMPLE_FEED_FILE, SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import { main } from './replay.ts';

process.exitCode = await main([SAMPLE_FEED_FILE, '--now', SAMPLE_FEED_NOW, '--out', '.data/start/team-messages.ndjson', '--outcomes', '.data/start/outcomes.ndjson', ...process.argv.slice(2)]);
