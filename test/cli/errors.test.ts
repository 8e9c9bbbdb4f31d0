/**
 * How the CLIs tell "cannot reach" from other failures: the network cause may sit deep in an
 * error's cause chain or inside an AggregateError (Node's happy-eyeballs connect gives one).
 */
import { describe, expect, it } from 'vitest';
import { networkProblem, unreachable } from '@vroegsignaal/cli';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });

describe('networkProblem', () => {
  it('finds a refused connection inside an AggregateError without a code of its own', () => {
    const aggregate = new AggregateError([new Error('first address'), refused()], 'all addresses failed');

    expect(networkProblem(aggregate)).toBeDefined();
    expect(unreachable(aggregate, 'the bus')?.message).toMatch(/^cannot reach the bus \(/);
  });

  it('finds it at the end of a cause chain, and nothing in an error that has none', () => {
    expect(networkProblem(new Error('request failed', { cause: new Error('socket', { cause: refused() }) }))).toBe(networkProblem(refused()));
    expect(networkProblem(new Error('ValidationException'))).toBeUndefined();
  });
});
