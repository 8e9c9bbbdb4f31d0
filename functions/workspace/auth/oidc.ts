/**
 * The workspace's OpenID Connect client (openid-client): the same code against Cognito on AWS and
 * the local provider of `npm run serve`. Authorization code with PKCE, state and nonce; the id
 * token's `cognito:groups` give the member's roles.
 */
import * as client from 'openid-client';
import { MEMBER_ID_PATTERN } from '@vroegsignaal/events';
import { roleOfGroup, type WorkspaceRole } from '@vroegsignaal/policy';
import type { IdentitySettings, Locale, Member } from '../deps.ts';
import type { PendingLogin } from './session.ts';

export const CALLBACK_PATH = '/auth/callback';
export const LOGGED_OUT_PATH = '/auth/logged-out';

/** Who logged in: the member as the session keeps it, and their e-mail address for the member directory only. */
export interface LoggedIn {
  member: Member;
  /** Absent when the provider gave none (a federated directory that does not map it). */
  email?: string;
}

export interface OidcClient {
  /** Where to send the browser to log in, and what to keep until it comes back. */
  startLogin(next: string): Promise<{ url: URL; pending: PendingLogin }>;
  /** The member the provider's answer names; throws when the answer does not check out. */
  finishLogin(callbackQuery: string, pending: PendingLogin): Promise<LoggedIn>;
  /** Where to send the browser to end its session at the provider too. */
  logoutUrl(): Promise<URL>;
  /** The provider's origins a form of the workspace may lead to (its login and logout pages). */
  formTargets(): string[];
  /** Discovers the provider if not done yet, so that formTargets knows its pages; never throws. */
  ready(): Promise<void>;
}

export function oidcClient(settings: IdentitySettings): OidcClient {
  let discovered: Promise<client.Configuration> | undefined;
  let known: client.Configuration | undefined;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        settings.clientSecret === undefined ? client.None() : client.ClientSecretPost(settings.clientSecret),
        settings.allowInsecureIssuer ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .then(
        (config) => {
          known = config;
          return config;
        },
        (error: unknown) => {
          // Tried again on the next login: a provider that was down comes back.
          discovered = undefined;
          throw error;
        },
      );
    return discovered;
  };
  const redirectUri = new URL(CALLBACK_PATH, settings.publicOrigin).href;
  const loggedOutUri = new URL(LOGGED_OUT_PATH, settings.publicOrigin).href;

  return {
    async startLogin(next) {
      const config = await configuration();
      const pending: PendingLogin = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email',
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        // A workspace session starts with the member proving who they are, also when the
        // provider still has a session of its own: a shared laptop's next user is not let in
        // as the last one, 30 minutes after that one walked away.
        prompt: 'login',
      });
      return { url, pending };
    },

    async finishLogin(callbackQuery, pending) {
      const config = await configuration();
      const tokens = await client.authorizationCodeGrant(config, new URL(`${redirectUri}${callbackQuery}`), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims() ?? {};
      const member = memberFromClaims(claims);
      if (!member) throw new Error('the id token has no usable subject');
      const email = emailFromClaims(claims);
      return email === undefined ? { member } : { member, email };
    },

    async logoutUrl() {
      const config = await configuration();
      const metadata = config.serverMetadata();
      if (metadata.end_session_endpoint) {
        return client.buildEndSessionUrl(config, { client_id: settings.clientId, post_logout_redirect_uri: loggedOutUri });
      }
      // Cognito has no end_session_endpoint; its logout lives beside its authorize endpoint.
      const url = new URL('/logout', metadata.authorization_endpoint ?? settings.issuer);
      url.searchParams.set('client_id', settings.clientId);
      url.searchParams.set('logout_uri', loggedOutUri);
      return url;
    },

    formTargets() {
      const origins = new Set([new URL(settings.issuer).origin]);
      const metadata = known?.serverMetadata();
      for (const endpoint of [metadata?.authorization_endpoint, metadata?.end_session_endpoint]) {
        if (endpoint) origins.add(new URL(endpoint).origin);
      }
      return [...origins];
    },

    async ready() {
      if (!known) await configuration().catch(() => undefined);
    },
  };
}

/**
 * The member an id token names: its subject (a pseudonymous id, as the contract's `by`), the
 * roles of the groups we know (others are not ours: no role), and its locale. Undefined when
 * the subject is not such an id.
 */
export function memberFromClaims(claims: Record<string, unknown>): Member | undefined {
  const { sub } = claims;
  if (typeof sub !== 'string' || !MEMBER_ID_PATTERN.test(sub)) return undefined;
  const groups = claims['cognito:groups'];
  const roles = (Array.isArray(groups) ? groups : [])
    .map((group) => (typeof group === 'string' ? roleOfGroup(group) : undefined))
    .filter((role): role is WorkspaceRole => role !== undefined);
  return { id: sub, roles, locale: localeOf(claims.locale) };
}

/** Enough of an address to hand to a mail server: one @, no spaces or angle brackets (nodemailer checks the rest). */
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The id token's e-mail address, or undefined when it has none that could be mailed. */
export function emailFromClaims(claims: Record<string, unknown>): string | undefined {
  const { email } = claims;
  return typeof email === 'string' && email.length <= 254 && EMAIL.test(email) ? email : undefined;
}

function localeOf(claim: unknown): Locale {
  return typeof claim === 'string' && /^en\b/i.test(claim) ? 'en' : 'nl';
}
