/**
 * What the team workspace (a web application on Hono) is wired to: the same ports the pipeline's
 * handlers use, the inbox and access-log reads, and the identity provider. The Lambda entry
 * (index.ts) wires them to AWS, `npm run serve` to the stand-ins and the local OpenID provider.
 */
import type { AccessLog, AlertIndex, EventPublisher, HouseholdStore, MemberDirectory, MonitorSource, NoticeLog, TeamInbox } from '@vroegsignaal/domain';
import type { CompiledPolicy, WorkspaceRole } from '@vroegsignaal/policy';

export type Locale = 'nl' | 'en';

/**
 * Who is logged in, as the session holds it: no name, no e-mail address (the address is in the
 * member directory, written at login, and read only where a page shows it to its owner).
 */
export interface Member {
  /** The identity provider's subject: the pseudonymous `by` of the member's team reports. */
  id: string;
  /** From the identity provider's groups (`cognito:groups`), read with roleOfGroup. */
  roles: WorkspaceRole[];
  locale: Locale;
}

/** The OpenID Connect client's settings: the same code against Cognito and the local provider. */
export interface IdentitySettings {
  /** The issuer (Cognito: https://cognito-idp.<region>.amazonaws.com/<poolId>; locally http://localhost:<port>). */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret?: string;
  /** The workspace's own origin as the browser sees it (CloudFront's, or http://localhost:<port>). */
  publicOrigin: string;
  /** At least 32 bytes: encrypts the session cookie and signs the CSRF tokens. */
  sessionKey: Uint8Array;
  /** Only for an `http://localhost` issuer (the local provider). */
  allowInsecureIssuer?: boolean;
}

/**
 * Who may pull the DDAS export over `POST /gegevens`: bearer access tokens of the OAuth2 client
 * credentials grant, from this issuer (Cognito's user pool with its `ddas` resource server, or
 * the local provider), carrying the scope, of one of these machine clients.
 */
export interface PullSettings {
  issuer: string;
  /** Where the issuer's signing keys are (Cognito: `<issuer>/.well-known/jwks.json`). */
  jwksUri: string;
  /** Its scope, `ddas/gegevens.read` (DDAS_PULL_SCOPE). */
  scope: string;
  /** The machine clients (`client_id`) allowed to pull, e.g. the statistics office's. */
  clientIds: readonly string[];
  /** The audience a token must name (the local provider's resource indicator); Cognito's access tokens carry none. */
  audience?: string;
}

export interface WorkspaceDeps {
  policy: () => CompiledPolicy;
  households: HouseholdStore;
  alerts: AlertIndex;
  inbox: TeamInbox;
  access: AccessLog;
  /** Where the outcomes of a member's reports go, as the team-report function publishes them. */
  publisher: EventPublisher;
  clock: () => number;
  identity: IdentitySettings;
  /** What the monitor and the DDAS export read, per municipality and month. */
  monitor: MonitorSource;
  /** Absent: `POST /gegevens` is not offered (no machine client set up). */
  pull?: PullSettings;
  /** Who gets e-mail notices and how: registered at login, set on the settings pages. */
  members: MemberDirectory;
  /** The notices sent, which the settings page lists. */
  noticeLog: NoticeLog;
  /** Only on a developer's machine (`npm run serve`): what the local mail server received, shown on `/uitgaande-post`. */
  outbox?: LocalOutbox;
}

/** One mail as the local mail server received and parsed it. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  receivedAtMs: number;
}

/** The local mail server (`startLocalMailServer()` of the stand-ins) as the outbox page reads it. */
export interface LocalOutbox {
  /** The mails received for one address. */
  mailsTo(email: string): ReceivedMail[];
}

/** Hono's context variables on an authenticated request. */
export interface WorkspaceEnv {
  Variables: {
    member: Member;
    /** This session's token for the forms' hidden `csrf` field. */
    csrfToken: string;
  };
}
