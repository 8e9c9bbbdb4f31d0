/**
 * The local identity provider of `npm run serve`: a real OpenID provider (oidc-provider, an
 * OpenID-certified implementation) in this process, so that the workspace logs in locally through
 * the same OpenID Connect client code as against Cognito: discovery, the authorization-code flow
 * with PKCE, an id token with `cognito:groups` (the claim Cognito puts its groups in).
 *
 * Its users are seeded from the policy's workspace groups: two members per team, and a
 * coordinator, a municipality user and a privacy officer per municipality. A user's name is its
 * subject: a pseudonymous id as the contract wants a member's `by` to be, never an e-mail address;
 * the address (scope `email`) is `<username>@vroegsignaal.local`, which the local mail server of
 * `npm run serve` takes in, so that a newcomer sees the notices the workspace's members get.
 * Everything is in memory and made anew on each start (keys, cookies, sessions).
 *
 * Beside the members, one machine client: the statistics office's, which pulls the DDAS export
 * from the workspace's `POST /gegevens` with an access token of the client credentials grant,
 * for the workspace as resource (a resource indicator), with the pull scope; a JWT the
 * workspace checks against this provider's keys, as it does Cognito's on AWS.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { Configuration, KoaContext } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { type CompiledPolicy, DDAS_PULL_SCOPE, groupOfRole, type WorkspaceRole, workspaceGroups } from '@vroegsignaal/policy';

/** The one password of every seeded user: this provider is for a developer's machine only. */
export const LOCAL_PASSWORD = 'vroegsignaal-lokaal';

/** The workspace's client id at the local provider. */
export const LOCAL_CLIENT_ID = 'vroegsignaal-workspace';

/** The statistics office's machine client at the local provider. */
export const LOCAL_DDAS_CLIENT_ID = 'cbs-ddas';

/** How the statistics office gets its access token here: client credentials at the token endpoint. */
export interface LocalMachineClient {
  clientId: string;
  /** Made anew on each start. */
  clientSecret: string;
  tokenEndpoint: string;
  /** The resource indicator to ask for (the workspace's pull endpoint): the tokens' audience. */
  resource: string;
  scope: string;
}

/** The local users' mail domain: nothing leaves the machine for it. */
export const LOCAL_MAIL_DOMAIN = 'vroegsignaal.local';

export interface LocalIdentityUser {
  /** What the login page asks for, and the subject of the user's tokens. */
  username: string;
  /** `<username>@vroegsignaal.local`: the id token's `email`. */
  email: string;
  roles: WorkspaceRole[];
}

export interface LocalIdentityProvider {
  /** http://localhost:<port> */
  issuer: string;
  clientId: string;
  users: LocalIdentityUser[];
  /** Where its signing keys are published. */
  jwksUri: string;
  ddasClient: LocalMachineClient;
  stop(): Promise<void>;
}

export interface LocalIdentityOptions {
  policy: CompiledPolicy;
  /** The workspace's origin as the browser sees it: its /auth/callback is the one redirect allowed. */
  workspaceOrigin: string;
  /** Default: any free port. */
  port?: number;
}

/** The seeded users: `<team>.1` and `<team>.2` per team, `<role>.<GM code>` per municipal role. */
export function localIdentityUsers(policy: CompiledPolicy): LocalIdentityUser[] {
  return workspaceGroups(policy).flatMap(({ name, role }): LocalIdentityUser[] =>
    (role.kind === 'team' ? [1, 2].map((n) => `${role.team}.${n}`) : [name]).map((username) => ({ username, email: `${username}@${LOCAL_MAIL_DOMAIN}`, roles: [role] })),
  );
}

export async function startLocalIdentityProvider(options: LocalIdentityOptions): Promise<LocalIdentityProvider> {
  const users = localIdentityUsers(options.policy);
  const byName = new Map(users.map((user) => [user.username, user]));
  const workspaceOrigin = new URL(options.workspaceOrigin).origin;

  let handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => void res.writeHead(503).end();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Er ging iets mis in de lokale inlogdienst.');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, 'localhost', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;

  const ddasClient: LocalMachineClient = {
    clientId: LOCAL_DDAS_CLIENT_ID,
    clientSecret: randomBytes(24).toString('base64url'),
    tokenEndpoint: `${issuer}/token`,
    resource: `${workspaceOrigin}/gegevens`,
    scope: DDAS_PULL_SCOPE,
  };
  try {
    const provider = await createProvider(issuer, workspaceOrigin, byName, ddasClient);
    const callback = provider.callback();
    handle = async (req, res) => {
      // No script anywhere; forms go to this provider and, after a redirect, to the workspace.
      res.setHeader(
        'content-security-policy',
        `default-src 'none'; style-src 'self'; form-action 'self' ${workspaceOrigin}; frame-ancestors 'none'; base-uri 'none'`,
      );
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      const path = new URL(req.url ?? '/', issuer).pathname;
      if (path === LOGIN_STYLESHEET) return void res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(LOGIN_CSS);
      const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
      if (!interaction) return callback(req, res);
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== interaction[1]) return void sendPage(res, 400, expiredPage());
      if (req.method === 'POST' && interaction[2]) {
        const form = new URLSearchParams(await readBody(req));
        const username = (form.get('username') ?? '').trim();
        if (byName.has(username) && form.get('password') === LOCAL_PASSWORD) {
          return provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
        }
        return sendPage(res, 401, loginPage(details.uid, username, true));
      }
      if (req.method !== 'GET' || interaction[2]) return void sendPage(res, 405, expiredPage());
      return sendPage(res, 200, loginPage(details.uid, '', false));
    };
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  return { issuer, clientId: LOCAL_CLIENT_ID, users, jwksUri: `${issuer}/jwks`, ddasClient, stop: () => closeServer(server) };
}

async function createProvider(issuer: string, workspaceOrigin: string, users: ReadonlyMap<string, LocalIdentityUser>, machine: LocalMachineClient) {
  // Imported here, not at the top: oidc-provider warns at import on Node 20 (it asks for 22 LTS);
  // the part used here runs on 20 (the tests prove it), and that one line would only alarm.
  const { default: Provider, errors } = await withoutRuntimeWarning(() => import('oidc-provider'));
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'local' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        client_name: 'vroegsignaal werkplaats',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${workspaceOrigin}/auth/callback`],
        post_logout_redirect_uris: [`${workspaceOrigin}/auth/logged-out`],
      },
      {
        client_id: machine.clientId,
        client_secret: machine.clientSecret,
        client_name: 'CBS: DDAS-gegevens ophalen',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'email'],
    // Cognito puts the groups in the id token; so does this provider, for the same client code.
    claims: { openid: ['sub', 'cognito:groups', 'locale'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, 'cognito:groups': user.roles.map(groupOfRole), locale: 'nl', email: user.email, email_verified: true }),
      };
    },
    // The workspace is the provider's own first-party client: no consent screen, as on Cognito.
    loadExistingGrant: async (ctx) => {
      const { client, session, result } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope('openid email');
      grant.addOIDCClaims(['cognito:groups', 'locale', 'email', 'email_verified']);
      await grant.save();
      return grant;
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      clientCredentials: { enabled: true },
      // The pull endpoint is the one resource: its tokens are JWTs with it as audience and only
      // the pull scope, and only the machine client gets them by default.
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, client) => (client.clientId === machine.clientId ? machine.resource : undefined),
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== machine.resource || client.clientId !== machine.clientId) throw new errors.InvalidTarget();
          return { scope: machine.scope, audience: machine.resource, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Inloggen mislukt', `<h1>Inloggen mislukt</h1><p>De inlogdienst gaf de fout <code>${escapeHtml(out.error ?? 'onbekend')}</code>.</p>`);
    },
    ttl: { Session: 10 * 3600, Interaction: 600, Grant: 10 * 3600, AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600, ClientCredentials: 3600 },
  };
  return new Provider(issuer, configuration);
}

async function withoutRuntimeWarning<T>(load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}

async function logoutSource(ctx: KoaContext, form: string): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Uitloggen',
    `<h1>Uitloggen bij de lokale inlogdienst</h1>
<p>U bent uitgelogd bij de werkplaats. Wilt u ook uitloggen bij de inlogdienst?</p>
${form}
<p class="actions"><button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, uitloggen</button>
<button type="submit" form="op.logoutForm" class="secondary">Nee, ingelogd blijven</button></p>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContext): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('Uitgelogd', '<h1>Uitgelogd</h1><p>U bent uitgelogd bij de lokale inlogdienst.</p>');
}

function loginPage(uid: string, username: string, failed: boolean): string {
  const invalid = failed ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  return page(
    failed ? 'Fout: inloggen – lokale inlogdienst' : 'Inloggen – lokale inlogdienst',
    `<h1>Inloggen bij de werkplaats</h1>
<p>Lokale inlogdienst van <code>npm run serve</code>, alleen voor ontwikkeling. Gebruikersnamen en het wachtwoord staan in de uitvoer van <code>npm run serve</code>.</p>
${failed ? '<p id="login-error" class="error" role="alert">Gebruikersnaam of wachtwoord klopt niet.</p>' : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<p><label for="username">Gebruikersnaam</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username)}"${invalid}></p>
<p><label for="password">Wachtwoord</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}></p>
<p><button type="submit">Inloggen</button></p>
</form>`,
  );
}

function expiredPage(): string {
  return page('Inlogpoging verlopen', '<h1>Inlogpoging verlopen</h1><p>Deze inlogpoging is verlopen of ongeldig. Ga terug naar de werkplaats en log opnieuw in.</p>');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${LOGIN_STYLESHEET}">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const LOGIN_STYLESHEET = '/interaction/login.css';
const LOGIN_CSS = `body{font-family:system-ui,sans-serif;font-size:1.125rem;line-height:1.5;color:#1a1a1a;background:#f3f3f3;margin:0}
main{max-width:28rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border:1px solid #767676}
label{display:block;font-weight:700}
input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:2px solid #1a1a1a}
input[aria-invalid=true]{border-color:#b30000}
button{font:inherit;padding:.5rem 1.25rem;border:2px solid #00405f;background:#00405f;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#00405f}
:focus-visible{outline:3px solid #ffb612;outline-offset:2px}
.error{color:#b30000;font-weight:700}
`;

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) throw new Error('login form too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
