/**
 * The Mailer port with nodemailer: over SMTP (the local stand-in, or any relay) and through
 * Amazon SES (v2 API, a configuration set whose bounce and complaint events come back tagged
 * with the member). The member's address goes to the transport and nowhere else: no result, no
 * error message and no tag carries it. A refusal for good (an SMTP 5xx for the recipient) is a
 * result, `rejected`; a failure that may pass (4xx, no connection, SES throttling) throws.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, MailResult, OutgoingMail } from '@vroegsignaal/domain';
import { createTransport } from 'nodemailer';

/** The header that names the member a mail is for (pseudonymous id): the local refusal path reads it. */
export const MEMBER_HEADER = 'X-Vroegsignaal-Member';

/** The SES message tags on every notice; SES hands them back on a bounce or complaint. */
export const MAIL_TAGS = { member: 'member', kind: 'kind' } as const;

/**
 * A member id as an SES tag value, which allows only letters, digits, `_` and `-`: a `.` or `_`
 * of the id is written `_2E` / `_5F`, so that memberIdOfTag gives the id back exactly.
 */
export function memberTagValue(memberId: string): string {
  return memberId.replace(/[._]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The member id an SES tag value (memberTagValue) stands for. */
export function memberIdOfTag(value: string): string {
  return value.replace(/_([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** A send that failed for now: no address in it, only what went wrong. */
export class MailNotSentError extends Error {
  constructor(
    readonly code: string,
    readonly responseCode?: number,
  ) {
    super(`The mail was not sent, it may be tried again: ${code}${responseCode ? ` (${responseCode})` : ''}`);
    this.name = 'MailNotSentError';
  }
}

/** The message as both transports send it: both parts, the member header and the unsubscribe link. */
function messageOf(mail: OutgoingMail, from: string) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    list: { unsubscribe: mail.unsubscribeUrl },
    headers: {
      [MEMBER_HEADER]: mail.memberId,
      // Automatic mail (RFC 3834): no out-of-office replies to the sender.
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    },
  };
}

interface SmtpFailure {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

export interface SmtpMailerOptions {
  host: string;
  port: number;
  /** The sender, e.g. `Vroegsignaal <meldingen@vroegsignaal.local>`. */
  from: string;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /**
   * Keep one connection open and send every mail over it, instead of a connection per mail: a
   * server's greeting can take its time (the local one waits 100 ms to catch early talkers), which a
   * replay's hundreds of notices would otherwise pay each. The owner then must `close()` it.
   */
  pooled?: boolean;
}

export class SmtpMailer implements Mailer {
  private readonly transport;

  constructor(private readonly options: SmtpMailerOptions) {
    this.transport = createTransport({ host: options.host, port: options.port, secure: options.secure ?? false, ...(options.pooled ? { pool: true, maxConnections: 1 } : {}) });
  }

  /** Closes a pooled connection. */
  close(): void {
    this.transport.close();
  }

  async send(mail: OutgoingMail): Promise<MailResult> {
    try {
      const info = await this.transport.sendMail(messageOf(mail, this.options.from));
      return { status: 'sent', messageId: info.messageId };
    } catch (error) {
      const failure = error as SmtpFailure;
      if (failure.command === 'RCPT TO' && failure.responseCode !== undefined && failure.responseCode >= 500) {
        return { status: 'rejected', reason: replyCodesOf(failure) };
      }
      throw new MailNotSentError(failure.code ?? 'SMTP', failure.responseCode);
    }
  }
}

/** `550 5.1.1`: the reply's codes, never its text (a server may repeat the address there). */
function replyCodesOf(failure: SmtpFailure): string {
  const codes = /^(\d{3})(?:[ -](\d\.\d{1,3}\.\d{1,3}))?/.exec(failure.response ?? '');
  return codes ? [codes[1], codes[2]].filter(Boolean).join(' ') : String(failure.responseCode);
}

export interface SesMailerOptions {
  from: string;
  /** The configuration set whose event destination takes bounces and complaints to mail-feedback. */
  configurationSetName: string;
}

export class SesMailer implements Mailer {
  private readonly transport;

  constructor(
    ses: SESv2Client,
    private readonly options: SesMailerOptions,
  ) {
    this.transport = createTransport({ SES: { sesClient: ses, SendEmailCommand } });
  }

  async send(mail: OutgoingMail): Promise<MailResult> {
    try {
      const info = await this.transport.sendMail({
        ...messageOf(mail, this.options.from),
        ses: {
          ConfigurationSetName: this.options.configurationSetName,
          EmailTags: [
            { Name: MAIL_TAGS.member, Value: memberTagValue(mail.memberId) },
            { Name: MAIL_TAGS.kind, Value: mail.kind },
          ],
        },
      });
      return { status: 'sent', messageId: info.messageId };
    } catch (error) {
      // An SES error message may name the address (an unverified identity): only its name goes on.
      throw new MailNotSentError((error as { name?: string }).name ?? 'SES');
    }
  }
}
