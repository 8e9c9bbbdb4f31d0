/** Entry point of the `vroegsignaal-team` bin (bin/vroegsignaal-team.mjs loads it through tsx). */
import { processIo } from '../cli.ts';
import { runTeamCli } from './cli.ts';

process.exitCode = await runTeamCli(process.argv.slice(2), { io: processIo(), ...(process.stdout.columns ? { columns: process.stdout.columns } : {}) });
