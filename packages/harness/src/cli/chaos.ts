/**
 * npm run chaos: a seeded feed through the local pipeline delivered once, duplicated, shuffled,
 * under injected faults and crashes, through a DLQ and a redrive, with hostile entries mixed
 * in, and with registered partners attacking households (divert attempts and floods); then one
 * table. Exit status 0 when every run ended as the feed delivered once (lost 0, doubled 0,
 * diverted 0, blocked 0, every check held), 1 when one did not or the runs could not complete,
 * 64 for a usage error. Handler logs go to --log, not the terminal.
 */
import { checkOutputFile, defineCommand, didYouMean, integerOption, runCommand, UsageError } from '@vroegsignaal/command';
import { compilePolicy, DEFAULT_POLICY_DIR, loadPolicyDir } from '@vroegsignaal/policy';
import { divertHandlerOutput } from '@vroegsignaal/stand-ins';
import { formatChaosTable, RUN_NAMES, runChaos, type RunName } from '../chaos.ts';
import { DEFAULT_FEED_SEED } from '../feed-generator.ts';

const CHAOS = defineCommand({
  name: 'npm run chaos --',
  purpose: 'Runs a seeded feed through the local pipeline under duplicates, shuffling, faults, crashes, a DLQ and redrive, and hostile entries and partners, and checks each run ends as the feed delivered once.',
  usage: [`[--size N] [--seed S] [--only ${RUN_NAMES.join(',')}] [--round-size N] [--log FILE]`],
  examples: ['npm run chaos', 'npm run chaos -- --size 100 --only once,faults'],
  options: {
    size: { type: 'string', value: 'N', description: 'households in the feed (default 500)' },
    seed: { type: 'string', value: 'S', description: `the feed's seed (default ${DEFAULT_FEED_SEED})` },
    only: { type: 'string', value: 'RUNS', description: `these runs only, comma-separated: ${RUN_NAMES.join(', ')}` },
    'round-size': { type: 'string', value: 'N', description: 'entries put on the bus between settles (default 40)' },
    log: { type: 'string', value: 'FILE', description: "the handlers' log lines (default .data/chaos.log)" },
  },
  notes: ['It takes about 4 minutes with the default 500 households (--size 100: about 1).', 'Exit 1 when a run lost, doubled, diverted or blocked anything, or a check failed.'],
});

function runNames(list: string): RunName[] {
  return list.split(',').map((text) => {
    const name = text.trim();
    if ((RUN_NAMES as readonly string[]).includes(name)) return name as RunName;
    const near = didYouMean(name, RUN_NAMES);
    throw new UsageError(`--only: there is no run "${name}"${near ? `; did you mean ${near}?` : ''} (the runs: ${RUN_NAMES.join(', ')})`);
  });
}

process.exitCode = await runCommand(CHAOS, process.argv.slice(2), async ({ values }) => {
  const size = integerOption(values.size, 'size', 1) ?? 500;
  const seed = integerOption(values.seed, 'seed', 0) ?? DEFAULT_FEED_SEED;
  const roundSize = integerOption(values['round-size'], 'round-size', 1) ?? 40;
  const only = values.only === undefined ? undefined : runNames(values.only);
  const logPath = values.log ?? '.data/chaos.log';
  checkOutputFile(logPath, 'a file to write the handler logs to (--log)');
  const policy = compilePolicy(loadPolicyDir(DEFAULT_POLICY_DIR));
  const terminal = divertHandlerOutput(logPath);
  try {
    terminal.err(`chaos: ${size} households, seed ${seed}; handler logs in ${logPath}\n`);
    const report = await runChaos({
      policy,
      size,
      seed,
      roundSize,
      ...(only ? { only } : {}),
      onRow: (row) =>
        terminal.err(
          `  ${row.run.padEnd(16)} ${(row.elapsedMs / 1000).toFixed(1).padStart(6)} s  lost ${row.lost}, doubled ${row.doubled}, diverted ${row.diverted}${row.blocked !== undefined ? `, blocked ${row.blocked}` : ''}${row.failures.length > 0 ? `, ${row.failures.length} check(s) FAILED` : ''}\n`,
        ),
    });
    terminal.out(`${formatChaosTable(report)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await terminal.restore();
  }
});
