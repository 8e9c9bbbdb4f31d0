/** npm start: the whole pipeline on local stand-ins, replaying the shipped sample feed. */
import { defineCommand, runCommand } from '@vroegsignaal/command';
import { SAMPLE_FEED_FILE, SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import { NOW_OPTION } from './inputs.ts';
import { REPLAY_OPTIONS, replayArgs, runReplay } from './replay.ts';

const OUT = '.data/start/team-messages.ndjson';
const OUTCOMES = '.data/start/outcomes.ndjson';

const START = defineCommand({
  name: 'npm start --',
  purpose: `Starts the AWS stand-ins and replays the sample feed (events/samples/feed.ndjson) through the deployed handlers: npm run replay with the sample's feed, clock and output files.`,
  usage: ['[--now T] [--until T] [--engine stand-ins|memory] [--out FILE] [--outcomes FILE] [--config DIR] [--log FILE]'],
  examples: ['npm start', 'npm start -- --engine memory', 'npm start -- --until 2027-02-15T09:00:00+01:00'],
  options: {
    now: {
      ...NOW_OPTION,
      description: `judge the entries at this moment (ISO-8601 with an offset), until a line's Now moves the clock on; default ${SAMPLE_FEED_NOW}, the moment the sample feed is written for`,
    },
    ...REPLAY_OPTIONS,
    out: { ...REPLAY_OPTIONS.out, description: `write the team messages here (default ${OUT})` },
    outcomes: { ...REPLAY_OPTIONS.outcomes, description: `write the outcome of every line here (default ${OUTCOMES})` },
  },
  notes: [
    "The summary goes to stderr: per team the messages it received by level and what became of its alerts (open, overdue, picked up, reached, closed by result), the clock it judged the feed by and the time it took: about 10 s on the stand-ins.",
  ],
});

process.exitCode = await runCommand(START, process.argv.slice(2), async ({ values }) => {
  const args = replayArgs({ values: { out: OUT, outcomes: OUTCOMES, ...values, now: values.now ?? SAMPLE_FEED_NOW }, positionals: [SAMPLE_FEED_FILE] });
  await runReplay({ ...args, clockSource: values.now === undefined ? "the sample feed's clock; --now T for another" : '--now' });
});
