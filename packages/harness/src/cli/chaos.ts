/**
 * npm run chaos -- [--size N] [--seed S] [--only once,duplicated,shuffled,faults,dlq-redrive,hostile,hostile-partners] [--round-size N] [--log FILE]
 *
 * Generates a feed of N households (default 500) and runs it through the local pipeline
 * delivered once, with every entry delivered one to three times, shuffled, under injected
 * faults and crashes, through a DLQ and a redrive, with hostile entries mixed in, and with
 * registered partners attacking households (divert attempts and floods); then prints one
 * table. Exit status 0 when every run ended as the feed delivered once (lost 0, doubled 0,
 * diverted 0, blocked 0, every check held), 1 when one did not or the runs could not complete,
 * 64 for a usage error. Handler logs go to --log (default .data/chaos.log), not the terminal.
 */
import { parseArgs } from 'node:util';
import { compilePolicy, DEFAULT_POLICY_DIR, loadPolicyDir } from '@vroegsignaal/policy';
import { formatChaosTable, RUN_NAMES, runChaos, type RunName } from '../chaos.ts';
import { DEFAULT_FEED_SEED } from '../feed-generator.ts';
import { divertHandlerOutput } from '@vroegsignaal/stand-ins';

const USAGE = 'usage: npm run chaos -- [--size N] [--seed S] [--only once,duplicated,shuffled,faults,dlq-redrive,hostile,hostile-partners] [--round-size N] [--log FILE]\n';

async function main(argv: string[]): Promise<number> {
  let values: { size?: string; seed?: string; only?: string; 'round-size'?: string; log?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { size: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' }, 'round-size': { type: 'string' }, log: { type: 'string' } } }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 64;
  }
  const number = (text: string | undefined, fallback: number, min: number) => {
    const n = text === undefined ? fallback : Number(text);
    return Number.isInteger(n) && n >= min ? n : undefined;
  };
  const size = number(values.size, 500, 1);
  const seed = number(values.seed, DEFAULT_FEED_SEED, 0);
  const roundSize = number(values['round-size'], 40, 1);
  const only = values.only?.split(',').map((s) => s.trim()) as RunName[] | undefined;
  if (size === undefined || seed === undefined || roundSize === undefined || (only && !only.every((name) => (RUN_NAMES as readonly string[]).includes(name)))) {
    process.stderr.write(USAGE);
    return 64;
  }
  const logPath = values.log ?? '.data/chaos.log';
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
  } catch (error) {
    terminal.err(`chaos could not run: ${(error as Error).name}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await terminal.restore();
  }
}

process.exitCode = await main(process.argv.slice(2));
