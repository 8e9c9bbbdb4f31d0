/**
 * npm run policy:check -- [DIR] [--list-teams]: is this policy directory deployable? Prints every
 * problem of every file and across files in one report, each with its file, line, where in the
 * file and what was expected, and exits 1 when there is any.
 */
import { relative } from 'node:path';
import { defineCommand, EXIT, inputProblem, runCommand } from '@vroegsignaal/command';
import { DEFAULT_POLICY_DIR, POLICY_DIRECTORY, policyDirectoryProblem } from '@vroegsignaal/policy';
import { checkPolicyDir, formatTeamTable, teamRows } from '../policy-check.ts';

const POLICY_CHECK = defineCommand({
  name: 'npm run policy:check --',
  purpose:
    'Checks a policy directory before it is deployed: every problem in every file and across files, in one report, each with its file, line, place in the file and what was expected.',
  usage: ['[DIR] [--list-teams]'],
  examples: ['npm run policy:check -- my-policy', 'npm run policy:check -- --list-teams'],
  options: {
    'list-teams': { type: 'boolean', description: 'also print every team: its municipality, the levels its routes send it, its capacity and the team its overdue alerts are escalated to' },
  },
  positionals: [{ name: 'DIR', description: 'the policy directory (default packages/policy/defaults)', optional: true }],
  notes: ['A policy with any problem is refused whole, locally and by AppConfig: exit 1 means nothing in it may be deployed.'],
});

process.exitCode = await runCommand(POLICY_CHECK, process.argv.slice(2), ({ values, positionals }) => {
  const dir = positionals[0] ?? (relative(process.cwd(), DEFAULT_POLICY_DIR) || '.');
  const directoryProblem = policyDirectoryProblem(dir);
  if (directoryProblem) throw inputProblem(POLICY_DIRECTORY, dir, directoryProblem);
  const result = checkPolicyDir(dir);
  if (!result.ok) {
    process.stdout.write(`${result.report}\n`);
    return EXIT.failed;
  }
  process.stdout.write(`${result.summary}\n`);
  if (values['list-teams']) process.stdout.write(`\n${formatTeamTable(teamRows(result.policy))}`);
  return EXIT.ok;
});
