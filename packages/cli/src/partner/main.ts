/** Entry point of the `vroegsignaal-partner` bin (bin/vroegsignaal-partner.mjs loads it through tsx). */
import { processIo } from '../cli.ts';
import { runPartnerCli } from './cli.ts';

process.exitCode = await runPartnerCli(process.argv.slice(2), processIo());
