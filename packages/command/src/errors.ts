/**
 * Exit codes, the two errors a command throws on purpose, and the one way any error is put
 * into words for the user: never a class name (`CsvError:`), never a bare Node code (`ENOENT`).
 */

export const EXIT = {
  ok: 0,
  /** The command ran and something failed: a check, a run, a service. */
  failed: 1,
  /** The command was called wrongly: an option, an argument or an input file (as sysexits' EX_USAGE). */
  usage: 64,
} as const;

/** The call is wrong (an option, an argument, an input): exit 64, with a pointer to --help. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}

/** The command ran and failed for a reason its message states in full: exit 1. */
export class CommandError extends Error {
  readonly exitCode = EXIT.failed;
}

/** What a Node system error code means, as the end of "cannot open "x": ...". */
const SYSTEM_CODES: Record<string, string> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the directory is not empty',
  EMFILE: 'too many files are open at once (raise the limit with ulimit -n)',
  ENFILE: 'the system has too many files open',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EBUSY: 'it is busy or locked',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'the path has a loop of symbolic links',
  EADDRINUSE: 'the port is already in use (is another run still going?)',
  EADDRNOTAVAIL: 'the address is not available on this machine',
  ECONNREFUSED: 'nothing is listening there (connection refused)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the host name was not found',
  EPIPE: 'the other side closed the connection',
};

/** The system call, as the verb after "cannot". */
const SYSCALL_VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  stat: 'look at',
  lstat: 'look at',
  scandir: 'list',
  opendir: 'list',
  mkdir: 'create the directory',
  rmdir: 'remove the directory',
  unlink: 'remove',
  rename: 'rename',
  copyfile: 'copy',
  access: 'reach',
  listen: 'listen on',
  connect: 'connect to',
  bind: 'bind to',
  getaddrinfo: 'look up',
  spawn: 'start',
};

interface SystemErrorLike {
  code: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

/** A message that Node wrote as `ENOENT: no such file or directory, open 'x'`, taken apart. */
const RAW_SYSTEM_MESSAGE = /^(E[A-Z]+): [^,]*, (\w+) '([^']*)'/;

function asSystemError(error: unknown): SystemErrorLike | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const record = error as Partial<SystemErrorLike> & { message?: unknown };
  if (typeof record.code === 'string' && SYSTEM_CODES[record.code]) return record as SystemErrorLike;
  const raw = typeof record.message === 'string' ? RAW_SYSTEM_MESSAGE.exec(record.message) : null;
  return raw && SYSTEM_CODES[raw[1]!] ? { code: raw[1]!, syscall: raw[2]!, path: raw[3]! } : undefined;
}

function describeSystemError(error: SystemErrorLike): string {
  const words = SYSTEM_CODES[error.code]!;
  const where = error.path ?? error.hostname ?? (error.address !== undefined ? `${error.address}${error.port !== undefined ? `:${error.port}` : ''}` : undefined);
  const verb = (error.syscall && SYSCALL_VERBS[error.syscall.replace(/^uv_/, '')]) ?? 'use';
  return `cannot ${verb}${where === undefined ? '' : ` "${where}"`}: ${words}`;
}

/** `CsvError: x`, `TypeError [ERR_X]: x`: the class name and code some messages start with. */
const CLASS_PREFIX = /^(?:[A-Z]\w*(?:Error|Exception)(?: \[[A-Z_]+\])?: )+/;

/** Any thrown value as a sentence for the user: what went wrong, with the path or address it concerns. */
export function describeError(error: unknown): string {
  const system = asSystemError(error);
  if (system) return describeSystemError(system);
  if (!(error instanceof Error)) return String(error);
  const message = error.message.replace(CLASS_PREFIX, '').trim();
  if (message !== '') return message;
  // Node's AggregateError (a refused connection tried on IPv4 and IPv6) has no message of its own.
  const inner = error instanceof AggregateError ? error.errors[0] : error.cause;
  return inner === undefined ? 'it failed without saying why' : describeError(inner);
}
