/**
 * npm run policy:check [DIR]: is this policy directory deployable? Prints every problem with
 * its file, the path inside it and what was expected, and exits 1 when there is any.
 */
import { DEFAULT_POLICY_DIR, formatProblem, loadPolicyDir, PolicyError } from '@vroegsignaal/policy';
import { compilePolicy } from '@vroegsignaal/policy';

export function checkPolicyDir(dir: string): { ok: true; summary: string } | { ok: false; report: string } {
  try {
    const policy = compilePolicy(loadPolicyDir(dir));
    const { municipalities, partners } = policy.policy;
    return {
      ok: true,
      summary: `policy in ${dir} is valid: ${municipalities.length} municipalities, ${policy.teams().length} teams (every one reached by a route), ${partners.length} partners`,
    };
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return { ok: false, report: `policy in ${dir} has ${error.problems.length} problem(s):\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}` };
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = checkPolicyDir(process.argv[2] ?? DEFAULT_POLICY_DIR);
  if (result.ok) process.stdout.write(`${result.summary}\n`);
  else process.stderr.write(`${result.report}\n`);
  process.exitCode = result.ok ? 0 : 1;
}
