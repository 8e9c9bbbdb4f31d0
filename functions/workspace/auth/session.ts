/**
 * The workspace's session: a cookie the browser keeps and cannot read (HttpOnly) or change (it is
 * encrypted and authenticated with the session key, jose's `dir` + A256GCM). It holds only the
 * Member (pseudonymous id, roles, locale) and its times, so any instance of the function can
 * serve any request and nothing personal is stored server-side. It ends after 30 minutes without
 * a request, and 10 hours after login whatever happens.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { z } from 'zod';
import type { IdentitySettings, Member } from '../deps.ts';

export const SESSION_COOKIE = '__Host-vs-session';
/** Between /auth/login and /auth/callback: state, nonce, PKCE verifier and the page to return to. */
export const LOGIN_COOKIE = '__Host-vs-login';
export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const SESSION_LIMIT_MS = 10 * 3600_000;
export const LOGIN_TIMEOUT_MS = 10 * 60_000;

export interface Session {
  /** Random, per login: what the CSRF token is made from. */
  sid: string;
  member: Member;
  startedAtMs: number;
  seenAtMs: number;
}

export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  /** A same-origin path to go to after login. */
  next: string;
}

const ROLE = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('team'), team: z.string() }),
  z.object({ kind: z.enum(['coordinator', 'municipality', 'privacy-officer']), municipalityCode: z.string() }),
]);
const SESSION = z.object({
  sid: z.string(),
  member: z.object({ id: z.string(), roles: z.array(ROLE), locale: z.enum(['nl', 'en']) }),
  startedAtMs: z.number(),
  seenAtMs: z.number(),
});
const PENDING_LOGIN = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), next: z.string() });

interface Keys {
  encryption: Uint8Array;
  csrf: Uint8Array;
}
const keysBySettings = new WeakMap<IdentitySettings, Keys>();

/** One secret, two keys: encrypting the cookies and signing CSRF tokens never share a key. */
function keysOf(settings: IdentitySettings): Keys {
  let keys = keysBySettings.get(settings);
  if (!keys) {
    if (settings.sessionKey.length < 32) throw new Error('the workspace session key is shorter than 32 bytes');
    const derive = (purpose: string) => new Uint8Array(hkdfSync('sha256', settings.sessionKey, new Uint8Array(0), `vroegsignaal workspace ${purpose}`, 32));
    keys = { encryption: derive('cookie encryption'), csrf: derive('csrf') };
    keysBySettings.set(settings, keys);
  }
  return keys;
}

async function seal(payload: Record<string, unknown>, audience: string, expiresAtMs: number, nowMs: number, settings: IdentitySettings): Promise<string> {
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setAudience(audience)
    .setIssuedAt(Math.floor(nowMs / 1000))
    .setExpirationTime(Math.floor(expiresAtMs / 1000))
    .encrypt(keysOf(settings).encryption);
}

/** The payload, or undefined for a cookie that is absent, tampered with, of another kind or expired. */
async function open(token: string | undefined, audience: string, nowMs: number, settings: IdentitySettings): Promise<unknown> {
  if (!token) return undefined;
  try {
    const { payload } = await jwtDecrypt(token, keysOf(settings).encryption, { audience, currentDate: new Date(nowMs), clockTolerance: 0 });
    return payload;
  } catch {
    return undefined;
  }
}

export function newSession(member: Member, nowMs: number): Session {
  return { sid: randomBytes(16).toString('base64url'), member, startedAtMs: nowMs, seenAtMs: nowMs };
}

export async function sealSession(session: Session, settings: IdentitySettings): Promise<string> {
  return seal({ ...session }, 'session', session.startedAtMs + SESSION_LIMIT_MS, session.seenAtMs, settings);
}

/** The session, or undefined when there is none, it was altered, or it is idle or too old at `nowMs`. */
export async function openSession(token: string | undefined, settings: IdentitySettings, nowMs: number): Promise<Session | undefined> {
  const parsed = SESSION.safeParse(await open(token, 'session', nowMs, settings));
  if (!parsed.success) return undefined;
  const session = parsed.data;
  if (nowMs - session.seenAtMs >= IDLE_TIMEOUT_MS || nowMs - session.startedAtMs >= SESSION_LIMIT_MS) return undefined;
  return session;
}

export async function sealPendingLogin(login: PendingLogin, settings: IdentitySettings, nowMs: number): Promise<string> {
  return seal({ ...login }, 'login', nowMs + LOGIN_TIMEOUT_MS, nowMs, settings);
}

export async function openPendingLogin(token: string | undefined, settings: IdentitySettings, nowMs: number): Promise<PendingLogin | undefined> {
  const parsed = PENDING_LOGIN.safeParse(await open(token, 'login', nowMs, settings));
  return parsed.success ? parsed.data : undefined;
}

/** The session's token for the forms' `csrf` field: an HMAC of its id, so a new login gets a new token. */
export function csrfTokenFor(session: Session, settings: IdentitySettings): string {
  return createHmac('sha256', keysOf(settings).csrf).update(session.sid).digest('base64url');
}

/** Whether a form's `csrf` field is the token expected, compared in constant time. */
export function isCsrfToken(candidate: unknown, expected: string): boolean {
  if (typeof candidate !== 'string') return false;
  const given = Buffer.from(candidate);
  return given.length === Buffer.byteLength(expected) && timingSafeEqual(given, Buffer.from(expected));
}

/** A Cookie header value that carries a fresh session of `member`, as the browser would send it after login. */
export async function sessionCookieFor(member: Member, settings: IdentitySettings, nowMs: number): Promise<string> {
  return `${SESSION_COOKIE}=${await sealSession(newSession(member, nowMs), settings)}`;
}
