import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkInputDir,
  checkInputFile,
  checkOutputFile,
  CommandError,
  defineCommand,
  describeError,
  didYouMean,
  editDistance,
  EXIT,
  formatHelp,
  integerOption,
  parseCommand,
  runCommand,
  typoReach,
  UsageError,
} from '@vroegsignaal/command';

const SPEC = defineCommand({
  name: 'npm run replay --',
  purpose: 'Replays a feed through the pipeline.',
  usage: ['FILE [--engine stand-ins|memory] [--out FILE]'],
  examples: ['npm run replay -- events/samples/feed.ndjson --engine memory'],
  options: {
    engine: { type: 'string', value: 'NAME', description: 'stand-ins or memory' },
    out: { type: 'string', value: 'FILE', description: 'write team messages here' },
    verbose: { type: 'boolean', short: 'v', description: 'say more' },
    tag: { type: 'string', multiple: true, description: 'a tag, repeatable' },
  },
  positionals: [{ name: 'FILE', description: 'the feed to replay' }],
});

function usageMessage(argv: string[]): string {
  try {
    parseCommand(SPEC, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(' ')} parsed`);
}

async function run(argv: string[], command: () => Promise<number | undefined> | number | undefined = () => undefined) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(SPEC, argv, command, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('did you mean', () => {
  it('suggests the nearest name within reach, and nothing far away', () => {
    expect(didYouMean('engin', ['engine', 'out'])).toBe('engine');
    expect(didYouMean('outcome', ['out', 'outcomes'])).toBe('outcomes');
    expect(didYouMean('xyz', ['engine', 'out'])).toBeUndefined();
    expect(didYouMean('lgo', ['log', 'out'])).toBe('log');
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('dryrun', 'dry-run')).toBe(1);
    expect(editDistance('hepl', 'help')).toBe(1);
  });

  it('never suggests a name more edits away than the typo reach, and finds one within it', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', '-'), maxLength: 12 });
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 8 }), (typed, names) => {
        const suggestion = didYouMean(typed, names);
        const nearest = Math.min(...names.map((n) => editDistance(typed, n)));
        if (suggestion === undefined) expect(nearest > typoReach(typed) || names.length === 0).toBe(true);
        else expect(editDistance(typed, suggestion)).toBe(nearest);
        if (suggestion !== undefined) expect(nearest).toBeLessThanOrEqual(typoReach(typed));
      }),
    );
  });

  it('measures a distance that is symmetric and zero only for the same word', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
      }),
    );
  });
});

describe('parsing', () => {
  it('gives typed values and the positionals', () => {
    const parsed = parseCommand(SPEC, ['feed.ndjson', '--engine', 'memory', '-v', '--tag', 'a', '--tag=b']);
    expect(parsed).toEqual({ help: false, values: { engine: 'memory', verbose: true, tag: ['a', 'b'] }, positionals: ['feed.ndjson'] });
  });

  it('lets --help and -h win over anything else on the line', () => {
    expect(parseCommand(SPEC, ['--help'])).toEqual({ help: true });
    expect(parseCommand(SPEC, ['x', 'y', '--engin', '-h'])).toEqual({ help: true });
  });

  it('names an unknown option, with the one meant when it is close', () => {
    expect(usageMessage(['f', '--engin', 'memory'])).toBe('unknown option --engin; did you mean --engine?');
    expect(usageMessage(['f', '--engin=memory'])).toBe('unknown option --engin; did you mean --engine?');
    expect(usageMessage(['f', '--wibble'])).toBe('unknown option --wibble');
    expect(usageMessage(['f', '-x'])).toBe('unknown option -x');
  });

  it('says what a missing or extra argument should have been', () => {
    expect(usageMessage([])).toBe('expected FILE (the feed to replay), but got no argument');
    expect(usageMessage(['a', 'b'])).toBe('expected only FILE, but also got "b"');
    const none = defineCommand({ ...SPEC, positionals: [] });
    expect(() => parseCommand(none, ['x'])).toThrow('takes no arguments, only options, but got "x"');
  });

  it('refuses an option without its value, a value on a switch, and an option given twice', () => {
    expect(usageMessage(['f', '--out'])).toBe('--out needs a value: --out FILE');
    expect(usageMessage(['f', '--out', '--engine', 'memory'])).toMatch(/^--out needs a value \(--out FILE\), but is followed by "--engine"/);
    expect(usageMessage(['f', '--verbose=yes'])).toBe('--verbose takes no value, but got "yes"');
    expect(usageMessage(['f', '--engine', 'a', '--engine', 'b'])).toBe('--engine was given more than once; give it once');
  });
});

describe('whole-number options', () => {
  it('takes a whole number at least the minimum, and nothing else', () => {
    expect(integerOption(undefined, 'size', 1)).toBeUndefined();
    expect(integerOption('40', 'size', 1)).toBe(40);
    for (const bad of ['0', '1.5', 'ten', '', '-3']) expect(() => integerOption(bad, 'size', 1)).toThrow(`--size must be a whole number of at least 1, not "${bad}"`);
  });
});

describe('help', () => {
  it('shows usage, purpose, arguments, options (with --help), an example and the exit codes', () => {
    const help = formatHelp(SPEC);
    expect(help).toMatch(/^Usage: npm run replay -- FILE \[--engine stand-ins\|memory\] \[--out FILE\]\n\nReplays a feed/);
    expect(help).toContain('  --engine NAME');
    expect(help).toContain('-v, --verbose');
    expect(help).toContain('-h, --help');
    expect(help).toContain('Example:\n  npm run replay -- events/samples/feed.ndjson --engine memory');
    expect(help).toContain('Exit codes: 0 done, 1 failed, 64 wrong usage');
  });
});

describe('running', () => {
  it('prints --help to stdout and exits 0 without running', async () => {
    const result = await run(['--help'], () => {
      throw new Error('ran');
    });
    expect(result).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(result.stdout).toContain('Usage:');
  });

  it('exits 64 on a usage error, with a pointer to --help', async () => {
    const result = await run(['f', '--engin', 'memory']);
    expect(result.code).toBe(64);
    expect(result.stderr).toBe('npm run replay: unknown option --engin; did you mean --engine?\nSee npm run replay -- --help for the usage and an example.\n');
  });

  it('exits 1 on a failure, 0 when done, or what the command returns', async () => {
    expect(await run(['f'], () => {
      throw new CommandError('the bus refused 3 entries');
    })).toMatchObject({ code: 1, stderr: 'npm run replay: the bus refused 3 entries\n' });
    expect((await run(['f'])).code).toBe(0);
    expect((await run(['f'], () => 1)).code).toBe(1);
  });
});

describe('error messages', () => {
  it('never show a class name', () => {
    class CsvError extends Error {
      override name = 'CsvError';
    }
    expect(describeError(new CsvError('row 3 has 4 columns, the header 5'))).toBe('row 3 has 4 columns, the header 5');
    expect(describeError(new Error('TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string'))).toBe('The "path" argument must be of type string');
    expect(describeError(new AggregateError([Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4010'), { code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 4010 })]))).toBe(
      'cannot connect to "127.0.0.1:4010": nothing is listening there (connection refused)',
    );
  });

  it('put Node system errors in words and keep the path', () => {
    const system = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: x, ${syscall} '${path}'`), { code, syscall, path });
    expect(describeError(system('ENOENT', 'open', 'a/b.ndjson'))).toBe('cannot open "a/b.ndjson": it does not exist');
    expect(describeError(system('EACCES', 'open', 'out.ndjson'))).toBe('cannot open "out.ndjson": permission denied');
    expect(describeError(system('EISDIR', 'read', 'dir'))).toBe('cannot read "dir": it is a directory, not a file');
    expect(describeError(system('ENOTDIR', 'mkdir', 'f/x'))).toBe('cannot create the directory "f/x": a part of the path is not a directory');
    expect(describeError(system('EMFILE', 'open', 'f'))).toMatch(/^cannot open "f": too many files are open at once/);
    expect(describeError(new Error("ENOENT: no such file or directory, open 'gone.txt'"))).toBe('cannot open "gone.txt": it does not exist');
    const thrown = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return describeError(error);
      }
      throw new Error('did not throw');
    };
    const gone = join(tmpdir(), 'command-no-such-file.ndjson');
    expect(thrown(() => readFileSync(gone))).toBe(`cannot open "${gone}": it does not exist`);
    expect(thrown(() => readFileSync(tmpdir()))).toBe('cannot read: it is a directory, not a file');
    for (const message of ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EMFILE']) expect(describeError(system(message, 'open', 'p'))).not.toMatch(/E[A-Z]{3,}/);
  });
});

describe('input files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'command-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const FEED = 'a feed file (NDJSON, one entry a line)';

  it('says what it received instead of a feed', () => {
    writeFileSync(join(dir, 'empty.ndjson'), '');
    writeFileSync(join(dir, 'feed.ndjson'), '{}\n');
    mkdirSync(join(dir, 'sub'));
    const problem = (path: string) => {
      try {
        checkInputFile(path, FEED);
        return 'ok';
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
    };
    expect(problem(join(dir, 'feed.ndjson'))).toBe('ok');
    expect(problem('x.ndjsn')).toBe(`expected ${FEED}, but "x.ndjsn" does not exist`);
    expect(problem(join(dir, 'sub'))).toBe(`expected ${FEED}, but "${join(dir, 'sub')}" is a directory`);
    expect(problem(join(dir, 'empty.ndjson'))).toBe(`expected ${FEED}, but "${join(dir, 'empty.ndjson')}" is empty`);
    expect(problem(join(dir, 'feed.ndjson', 'x'))).toMatch(/does not exist \(a part of its path is a file\)$/);
  });

  it.skipIf(process.getuid?.() === 0)('says when a file cannot be read', () => {
    writeFileSync(join(dir, 'locked.ndjson'), '{}\n');
    chmodSync(join(dir, 'locked.ndjson'), 0o000);
    expect(() => checkInputFile(join(dir, 'locked.ndjson'), FEED)).toThrow('cannot be read (permission denied)');
  });

  it('checks a directory input', () => {
    expect(() => checkInputDir(dir, 'a policy directory')).not.toThrow();
    expect(() => checkInputDir(join(dir, 'feed.ndjson'), 'a policy directory')).toThrow(`expected a policy directory, but "${join(dir, 'feed.ndjson')}" is a file, not a directory`);
    expect(() => checkInputDir(join(dir, 'nope'), 'a policy directory')).toThrow('does not exist');
  });

  it('checks an output file before anything is written', () => {
    expect(() => checkOutputFile(join(dir, 'new', 'out.ndjson'), 'a file for the team messages')).not.toThrow();
    expect(() => checkOutputFile(join(dir, 'sub'), 'a file for the team messages')).toThrow(`expected a file for the team messages, but "${join(dir, 'sub')}" is a directory`);
    expect(() => checkOutputFile(join(dir, 'feed.ndjson', 'out'), 'a file for the team messages')).toThrow('is a file, not a directory');
  });
});
