/**
 * The Mailer adapters. SmtpMailer against the local SMTP server of the stand-ins (a real SMTP
 * conversation, the mail parsed as received); SesMailer by what it hands the SES v2 API, read off
 * the SDK client's middleware stack before anything leaves the machine. Neither gives the
 * member's address back in a result or an error.
 */
import { SESv2Client, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_TAGS, MailNotSentError, memberIdOfTag, memberTagValue, SesMailer, SmtpMailer } from '@vroegsignaal/adapters';
import type { OutgoingMail } from '@vroegsignaal/domain';
import { MEMBER_ID_PATTERN } from '@vroegsignaal/events';
import { startLocalMailServer, type LocalMailServer } from '@vroegsignaal/stand-ins';

const FROM = 'Vroegsignaal <meldingen@vroegsignaal.local>';

const mailTo = (to: string, overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to,
  subject: 'Vroegsignaal: nieuwe urgente melding voor Regieteam Utrecht',
  text: 'Er is een urgente melding voor Regieteam Utrecht.\nBekijk: http://localhost:8080/meldingen/al-1',
  html: '<p>Er is een urgente melding voor <strong>Regieteam Utrecht</strong>.</p>',
  unsubscribeUrl: 'http://localhost:8080/instellingen',
  memberId: 'utrecht-regieteam.1',
  kind: 'urgent-alert',
  ...overrides,
});

describe('SmtpMailer against the local SMTP server', () => {
  let server: LocalMailServer;
  let mailer: SmtpMailer;

  beforeAll(async () => {
    server = await startLocalMailServer();
    mailer = new SmtpMailer({ host: server.host, port: server.port, from: FROM });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('delivers the mail with its text and HTML parts, the member header and the unsubscribe link', async () => {
    const result = await mailer.send(mailTo('Utrecht-Regieteam.1@vroegsignaal.local'));

    const [received, ...more] = server.mailsTo('utrecht-regieteam.1@vroegsignaal.local');
    expect(more).toEqual([]);
    expect(received).toMatchObject({
      to: 'utrecht-regieteam.1@vroegsignaal.local',
      subject: 'Vroegsignaal: nieuwe urgente melding voor Regieteam Utrecht',
      text: 'Er is een urgente melding voor Regieteam Utrecht.\nBekijk: http://localhost:8080/meldingen/al-1',
      html: '<p>Er is een urgente melding voor <strong>Regieteam Utrecht</strong>.</p>',
    });
    expect(received!.headers).toMatchObject({
      from: FROM,
      'x-vroegsignaal-member': 'utrecht-regieteam.1',
      'list-unsubscribe': '<http://localhost:8080/instellingen>',
      'auto-submitted': 'auto-generated',
    });
    expect(result).toEqual({ status: 'sent', messageId: received!.headers['message-id'] });
  });

  it('gives rejected, with the reply codes and not the address, for an address the server refuses; others still arrive', async () => {
    server.refuse('gone@vroegsignaal.local');

    const refused = await mailer.send(mailTo('Gone@vroegsignaal.local', { memberId: 'gone' }));
    const delivered = await mailer.send(mailTo('here@vroegsignaal.local', { memberId: 'here' }));

    expect(refused).toEqual({ status: 'rejected', reason: '550 5.1.1' });
    expect(server.mailsTo('gone@vroegsignaal.local')).toEqual([]);
    expect(delivered.status).toBe('sent');
    expect(server.mailsTo('here@vroegsignaal.local')).toHaveLength(1);
  });

  it('throws, without the address, when the server defers the address, and delivers once it takes it again', async () => {
    server.defer('full@vroegsignaal.local');

    const failure = await mailer.send(mailTo('full@vroegsignaal.local')).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MailNotSentError);
    expect(failure).toMatchObject({ responseCode: 450 });
    expect((failure as Error).message).not.toContain('full');
    server.accept('full@vroegsignaal.local');
    expect((await mailer.send(mailTo('full@vroegsignaal.local'))).status).toBe('sent');
    expect(server.mailsTo('full@vroegsignaal.local')).toHaveLength(1);
  });

  it('throws for a mail larger than the server takes, and keeps nothing of it', async () => {
    const small = await startLocalMailServer({ sizeLimit: 2000 });
    try {
      const tooLarge = mailTo('big@vroegsignaal.local', { html: `<p>${'melding '.repeat(500)}</p>` });

      await expect(new SmtpMailer({ host: small.host, port: small.port, from: FROM }).send(tooLarge)).rejects.toBeInstanceOf(MailNotSentError);
      expect(small.all()).toEqual([]);
    } finally {
      await small.stop();
    }
  });

  it('throws, without the address, when the server cannot be reached', async () => {
    const stopped = await startLocalMailServer();
    await stopped.stop();
    const unreachable = new SmtpMailer({ host: stopped.host, port: stopped.port, from: FROM });

    const failure = await unreachable.send(mailTo('someone@vroegsignaal.local')).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MailNotSentError);
    expect((failure as Error).message).not.toContain('someone');
    expect(stopped.all()).toEqual([]);
  });
});

describe('SesMailer', () => {
  /** An SES v2 client that answers SendEmail itself and keeps what it was asked; `fail` makes it throw as SES would. */
  function sesClient(fail?: Error) {
    const sent: SendEmailCommandInput[] = [];
    const client = new SESv2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    client.middlewareStack.add(
      () => async (args) => {
        sent.push(args.input as SendEmailCommandInput);
        if (fail) throw fail;
        return { output: { MessageId: `0102-${sent.length}`, $metadata: {} }, response: {} };
      },
      { step: 'initialize', name: 'answerSendEmail' },
    );
    return { client, sent };
  }

  it('sends the raw mail under the configuration set, tagged with the member and the kind', async () => {
    const { client, sent } = sesClient();
    const mailer = new SesMailer(client, { from: FROM, configurationSetName: 'vroegsignaal-notices' });

    const result = await mailer.send(mailTo('sh207@utrecht.example', { memberId: 'sub_207.x', kind: 'overdue' }));

    expect(result).toEqual({ status: 'sent', messageId: '<0102-1@eu-west-1.amazonses.com>' });
    expect(sent).toHaveLength(1);
    const [input] = sent;
    expect(input).toMatchObject({
      ConfigurationSetName: 'vroegsignaal-notices',
      FromEmailAddress: FROM,
      Destination: { ToAddresses: ['sh207@utrecht.example'] },
      EmailTags: [
        { Name: MAIL_TAGS.member, Value: memberTagValue('sub_207.x') },
        { Name: MAIL_TAGS.kind, Value: 'overdue' },
      ],
    });
    const raw = await simpleParser(Buffer.from(input!.Content!.Raw!.Data!));
    expect(raw.subject).toBe('Vroegsignaal: nieuwe urgente melding voor Regieteam Utrecht');
    expect(raw.text?.trim()).toBe(mailTo('').text);
    expect(raw.html).toBe(mailTo('').html);
    expect(raw.headers.get('x-vroegsignaal-member')).toBe('sub_207.x');
    expect(raw.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toBe('List-Unsubscribe: <http://localhost:8080/instellingen>');
  });

  it('throws what SES refused by its name only: its message may name the address', async () => {
    const refusal = Object.assign(new Error('Email address is not verified: sh207@utrecht.example'), { name: 'MessageRejected' });
    const { client } = sesClient(refusal);
    const mailer = new SesMailer(client, { from: FROM, configurationSetName: 'vroegsignaal-notices' });

    const failure = await mailer.send(mailTo('sh207@utrecht.example')).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MailNotSentError);
    expect(failure).toMatchObject({ code: 'MessageRejected' });
    expect((failure as Error).message).not.toContain('sh207');
  });

  it('writes every member id as a tag value SES takes, and reads it back unchanged', () => {
    fc.assert(
      fc.property(fc.stringMatching(MEMBER_ID_PATTERN), (memberId) => {
        const value = memberTagValue(memberId);
        expect(value).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
        expect(memberIdOfTag(value)).toBe(memberId);
      }),
    );
    expect(memberTagValue('utrecht-regieteam.1')).toBe('utrecht-regieteam_2E1');
  });
});
