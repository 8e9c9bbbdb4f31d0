/**
 * A real SMTP server on this machine, for the notices: it takes mail for any address, passes
 * none on, and keeps each mail parsed (mailparser) so that the local outbox page and the tests
 * read what a member would have received. No authentication and no TLS: it listens on
 * 127.0.0.1 only. `refuse(address)` makes it answer RCPT TO for that address with a permanent
 * refusal, as a receiving server does for a mailbox that does not exist (a hard bounce);
 * `defer(address)` with a temporary one (a full mailbox, greylisting), which passes when the
 * sender tries again after `accept(address)`.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** One mail as the server received it. */
export interface ReceivedMail {
  /** The mailbox it reached (an envelope recipient, RCPT TO), lower case: a mail to several is kept once per mailbox. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Every header of the mail by its lower-case name, unfolded (e.g. `x-vroegsignaal-member`, `list-unsubscribe`). */
  headers: Record<string, string>;
  receivedAtMs: number;
}

export interface LocalMailServer {
  host: string;
  port: number;
  /** Mail to this address is refused from now on (RCPT TO: 550 5.1.1). */
  refuse(address: string): void;
  /** Mail to this address is deferred from now on (RCPT TO: 450 4.2.1), until accept(address). */
  defer(address: string): void;
  /** Takes mail for this address again (after refuse or defer). */
  accept(address: string): void;
  /** The mails received for an address, oldest first. */
  mailsTo(address: string): ReceivedMail[];
  /** Every mail received, oldest first. */
  all(): ReceivedMail[];
  stop(): Promise<void>;
}

export interface LocalMailServerOptions {
  /** Largest mail accepted, in bytes (a notice is a few kB). Default 1 MB. */
  sizeLimit?: number;
  /** The clock that stamps receivedAtMs (a replay's, in tests); default the wall clock. */
  nowMs?: () => number;
}

const HOST = '127.0.0.1';

export async function startLocalMailServer(options: LocalMailServerOptions = {}): Promise<LocalMailServer> {
  const sizeLimit = options.sizeLimit ?? 1024 * 1024;
  const nowMs = options.nowMs ?? Date.now;
  const received: ReceivedMail[] = [];
  const refused = new Set<string>();
  const deferred = new Set<string>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: sizeLimit,
    logger: false,
    // Every client is this machine: no reverse DNS lookup of it.
    disableReverseLookup: true,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const mailbox = address.address.toLowerCase();
      if (refused.has(mailbox)) return callback(Object.assign(new Error('5.1.1 The mailbox does not exist'), { responseCode: 550 }));
      if (deferred.has(mailbox)) return callback(Object.assign(new Error('4.2.1 The mailbox is not taking mail now, try again later'), { responseCode: 450 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          if (stream.sizeExceeded) return callback(Object.assign(new Error('5.3.4 The mail is larger than this server takes'), { responseCode: 552 }));
          const headers = Object.fromEntries(parsed.headerLines.map(({ key, line }) => [key, headerValue(line)]));
          for (const { address } of session.envelope.rcptTo) {
            received.push({
              to: address.toLowerCase(),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers,
              receivedAtMs: nowMs(),
            });
          }
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  server.on('error', () => {
    // A client that drops its connection: the server goes on; the sender sees its own error.
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    host: HOST,
    port,
    refuse(address) {
      refused.add(address.toLowerCase());
    },
    defer(address) {
      deferred.add(address.toLowerCase());
    },
    accept(address) {
      refused.delete(address.toLowerCase());
      deferred.delete(address.toLowerCase());
    },
    mailsTo(address) {
      const wanted = address.toLowerCase();
      return received.filter((mail) => mail.to === wanted);
    },
    all() {
      return [...received];
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A raw header line's value: after its name, folded lines joined. */
function headerValue(line: string): string {
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}
