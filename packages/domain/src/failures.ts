/** Naming a failure for an operator, the same way wherever a record ends in a dead letter. */

/**
 * Why a record failed, for an operator, without personal data: our own errors carry a code
 * and messages written never to contain personal data; any other error (a JSON parser's
 * message can quote the input) is named by its class only.
 */
export function failureReason(error: unknown): string {
  const { name = 'Error', code, message } = (error ?? {}) as { name?: string; code?: unknown; message?: string };
  return typeof code === 'string' ? `${name} (${code}): ${message ?? ''}`.slice(0, 500) : name;
}

