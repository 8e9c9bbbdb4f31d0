/**
 * The contract's codes in plain words, for --help, the timeline and what a command says it
 * sent. Keyed by the events package's types, so a code added there fails the type check here
 * until it has its words.
 */
import type { CaseDetail, CaseResult, ContactChannel, NotTakenReason, ReminderReason } from '@vroegsignaal/events';

export const CHANNEL_WORDS: Record<ContactChannel, string> = {
  letter: 'by letter',
  card: 'by a card through the door',
  phone: 'by phone',
  sms: 'by text message',
  email: 'by e-mail',
  'home-visit': 'on a home visit',
  appointment: 'at an appointment',
  administrative: 'administratively (through another organisation)',
  other: 'another way',
};

/** After the contract's section 2, one line each. */
export const NOT_TAKEN_WORDS: Record<NotTakenReason, string> = {
  unjustified: 'the signal did not warrant action',
  repeat: 'already handled recently',
  'already-in-debt-help': 'the household is already in debt help',
  'other-trajectory': 'another professional already has the household',
  'not-resident': 'the household does not live at the address',
  deceased: 'the resident has died',
  other: 'another reason',
};

export const RESULT_WORDS: Record<CaseResult, string> = {
  resolved: 'resolved',
  referred: 'referred to help',
  'no-contact': 'no contact',
  declined: 'help declined',
};

export const DETAIL_WORDS: Record<CaseDetail, string> = {
  'quick-fix': 'advice or a quick fix',
  'paid-or-arrangement': 'paid, or a payment plan agreed',
  'self-managing': 'needs no help',
  'referred-financial': 'to financial help',
  'referred-non-financial': 'to non-financial help',
  referred: 'follow-up help, unspecified',
  'referred-without-resident': 'referred without the resident',
  'never-reached': 'no contact despite attempts',
  'no-response-after-contact': 'no response after contact',
  declined: 'the household did not want help',
};

export const REMINDER_WORDS: Record<ReminderReason, string> = {
  'verdict-lapses': 'a verdict is about to lapse',
  overdue: 'overdue: respond-by passed while the alert was still new',
  'overdue-escalated': 'escalated to the coordinating team: still untouched',
};

/** `paid-or-arrangement (paid, or a payment plan agreed)`, one code and its words. */
export function codeInWords<Code extends string>(code: Code, words: Record<Code, string>): string {
  return words[code] === code ? code : `${code} (${words[code]})`;
}
