/** `--policy DIR` as both CLIs take it: the shipped defaults when absent, a usage error when invalid. */
import { compilePolicy, DEFAULT_POLICY_DIR, loadPolicyDir, PolicyError, type CompiledPolicy } from '@vroegsignaal/policy';
import { UsageError } from './errors.ts';

export function loadPolicyOption(dir: string | undefined): CompiledPolicy {
  try {
    return compilePolicy(loadPolicyDir(dir ?? DEFAULT_POLICY_DIR));
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(`the policy in ${dir ?? DEFAULT_POLICY_DIR} is invalid: ${error.message}`);
    throw error;
  }
}
