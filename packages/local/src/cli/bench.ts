/**
 * npm run bench: how fast the local replay runs and how many AWS requests each accepted
 * signal costs, by service and operation (counted by a middleware on the handlers' clients).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { SAMPLE_FEED_NOW } from '../../../../events/scripts/generate-sample-feed.ts';
import { replayLines } from '../replay.ts';
import { byService, countRequests, type RequestCounts } from '../request-counter.ts';

const { values } = parseArgs({ options: { feed: { type: 'string' }, now: { type: 'string' }, out: { type: 'string' } } });
const feed = values.feed ?? fileURLToPath(new URL('../../../../events/samples/feed.ndjson', import.meta.url));
const lines = readFileSync(feed, 'utf8').split(/\r?\n/).filter((line, i, all) => i < all.length - 1 || line !== '');
const counts: RequestCounts = {};
// Handler logs are not what is measured here; they go nowhere.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = (() => true) as typeof process.stdout.write;
const result = await replayLines(lines, {
  policy: compilePolicy(loadPolicyDir()),
  nowMs: Date.parse(values.now ?? SAMPLE_FEED_NOW),
  pipeline: { decorateClients: (clients) => void countRequests(clients, counts) },
});
process.stdout.write = writeStdout;

const stored = result.outcomes.filter((o) => ['accepted', 'repeat', 'below-threshold', 'withdrawn'].includes(o.outcome)).length;
const perSignal = (n: number) => Number((n / stored).toFixed(2));
const services = byService(counts);
const report = {
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  signals: result.entries,
  storedSignals: stored,
  replaySignalsPerSecond: Number((result.entries / (result.elapsedMs / 1000)).toFixed(1)),
  dynamodbRequestsPerSignal: perSignal(services.DynamoDB ?? 0),
  awsRequestsPerSignal: perSignal(Object.values(services).reduce((a, b) => a + b, 0)),
  requestsPerStoredSignalByService: Object.fromEntries(Object.entries(services).map(([k, v]) => [k, perSignal(v)])),
  requestsByOperation: counts,
  teamMessages: result.messages.length,
};
mkdirSync('bench', { recursive: true });
writeFileSync(values.out ?? 'bench/results.json', `${JSON.stringify(report, null, 2)}\n`);
process.stderr.write(`${JSON.stringify(report, null, 2)}\n`);
