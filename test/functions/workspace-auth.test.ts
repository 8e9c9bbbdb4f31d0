/**
 * Logging in to the workspace, over real HTTP, as a browser does: the workspace on Node with the
 * local OpenID provider (oidc-provider) and the stand-ins, driven by fetch with manual redirects
 * and a cookie jar. The session's cookie, its idle and absolute timeouts (on the workspace's
 * injected clock), the member's registration for e-mail notices, the CSRF guard and the security headers.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, EventBridgePublisher, workspaceTablePorts } from '@vroegsignaal/adapters';
import {
  createWorkspaceApp,
  IDLE_TIMEOUT_MS,
  memberFromClaims,
  registeredMember,
  SESSION_COOKIE,
  SESSION_LIMIT_MS,
  sessionCookieFor,
  type IdentitySettings,
} from '@vroegsignaal/functions';
import { BUSES, MEMBER_ID_PATTERN } from '@vroegsignaal/events';
import { groupOfRole, workspaceGroups } from '@vroegsignaal/policy';
import { LOCAL_MAIL_DOMAIN, LOCAL_PASSWORD, LOCAL_TABLE_NAME, localIdentityUsers, startLocalWorkspace, type LocalWorkspace } from '@vroegsignaal/stand-ins';
import { NOW } from '../scenarios/entries.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const MEMBER = 'utrecht-schuldhulp.1';
const MINUTE = 60_000;

let test: TestPipeline;
let workspace: LocalWorkspace;
let nowMs = Date.parse(NOW);
const sessionKey = randomBytes(32);
let settings: IdentitySettings;

beforeAll(async () => {
  test = await startTestPipeline({ now: NOW });
  workspace = await startLocalWorkspace({ pipeline: test.pipeline, clock: () => nowMs, sessionKey });
  settings = { issuer: workspace.identity.issuer, clientId: workspace.identity.clientId, publicOrigin: workspace.url, sessionKey };
});

afterAll(async () => {
  await workspace?.stop();
  await test?.stop();
});

/** A browser's cookies for one user: what Set-Cookie gives, sent back to the same host. */
class Browser {
  readonly cookies = new Map<string, Map<string, string>>();
  /** Every Set-Cookie line received, as sent. */
  readonly setCookies: string[] = [];

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const { host } = new URL(url);
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    this.cookies.set(host, jar);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const gone = attributes.some((a) => /^\s*max-age=0$/i.test(a));
      if (gone) jar.delete(name);
      else jar.set(name, pair.slice(pair.indexOf('=') + 1));
    }
    return response;
  }

  /** Follows the redirects of a GET (or of the POST that starts it) until a page answers. */
  async follow(from: string, init: RequestInit = {}): Promise<{ response: Response; url: string; hops: string[] }> {
    let url = from;
    let response = await this.fetch(url, init);
    const hops = [url];
    while (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url).href;
      hops.push(url);
      response = await this.fetch(url);
    }
    return { response, url, hops };
  }

  /** From a workspace page that asks for a login, through the provider's login page, back. */
  async logIn(path: string, username = MEMBER): Promise<{ response: Response; url: string; hops: string[] }> {
    const { response, url } = await this.follow(`${workspace.url}${path}`);
    expect(new URL(url).origin).toBe(workspace.identity.issuer);
    const form = formOf(await response.text());
    return this.follow(new URL(form.action, url).href, { method: 'POST', body: new URLSearchParams({ username, password: LOCAL_PASSWORD }) });
  }

  csrfOf(html: string): string {
    return /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  }

  /**
   * A form's POST with the headers a browser sends: from a page of the workspace, its Origin; or,
   * as under Referrer-Policy no-referrer, `Origin: null` and where it comes from in Sec-Fetch-Site.
   */
  post(path: string, fields: Record<string, string>, from: Record<string, string> = { origin: workspace.url }): Promise<Response> {
    return this.fetch(`${workspace.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers: from });
  }
}

function formOf(html: string): { action: string } {
  return { action: /<form method="post" action="([^"]+)"/.exec(html)![1]!.replace(/&#38;/g, '&') };
}

describe('logging in through the OpenID provider', () => {
  it('goes from a page to the login, through the provider with PKCE, and back to that page with a session cookie', async () => {
    const browser = new Browser();
    const start = await browser.fetch(`${workspace.url}/meldingen?niveau=urgent`);
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe('/auth/login?next=%2Fmeldingen%3Fniveau%3Durgent');

    const login = await browser.fetch(new URL(start.headers.get('location')!, workspace.url).href);
    expect(login.status).toBe(303);
    const authorize = new URL(login.headers.get('location')!);
    expect(authorize.origin).toBe(workspace.identity.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: workspace.identity.clientId, response_type: 'code', code_challenge_method: 'S256', prompt: 'login', scope: 'openid email' });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(login.headers.getSetCookie().join('\n')).toMatch(/__Host-vs-login=[^;]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax/);

    const { response: page, url } = await browser.follow(authorize.href);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('<label for="username">Gebruikersnaam</label>');
    expect(html).toContain('<label for="password">Wachtwoord</label>');

    const wrong = await browser.fetch(new URL(formOf(html).action, url).href, { method: 'POST', body: new URLSearchParams({ username: MEMBER, password: 'raden' }) });
    expect(wrong.status).toBe(401);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('role="alert">Gebruikersnaam of wachtwoord klopt niet.');
    expect(wrongHtml).toContain(`value="${MEMBER}" aria-invalid="true"`);

    const back = await browser.follow(new URL(formOf(wrongHtml).action, url).href, { method: 'POST', body: new URLSearchParams({ username: MEMBER, password: LOCAL_PASSWORD }) });
    const callback = back.hops.find((hop) => hop.startsWith(`${workspace.url}/auth/callback?`));
    expect(callback).toBeDefined();
    expect(back.url).toBe(`${workspace.url}/meldingen?niveau=urgent`);
    expect(back.response.status).toBe(200);
    expect(browser.csrfOf(await back.response.text())).toMatch(/^[\w-]{43}$/);

    // Set at the callback, renewed by the page (its idle time starts again): always with the same attributes.
    const sessionLines = browser.setCookies.filter((line) => line.startsWith(`${SESSION_COOKIE}=`));
    expect(sessionLines).toHaveLength(2);
    for (const line of sessionLines) expect(line).toMatch(/^__Host-vs-session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const cookie = browser.cookies.get(new URL(workspace.url).host)!;
    expect([...cookie.keys()]).toEqual([SESSION_COOKIE]);
    // A JWE: the member's id and roles are not readable in the cookie.
    const session = cookie.get(SESSION_COOKIE)!;
    expect(session.split('.')).toHaveLength(5);
    expect(session).not.toContain('utrecht');
    expect(Buffer.from(session.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('utrecht');
  });

  it('returns only to a path of its own origin after login', async () => {
    for (const next of ['//evil.example/meldingen', 'https://evil.example/', '/\\evil.example']) {
      const { url } = await new Browser().logIn(`/auth/login?next=${encodeURIComponent(next)}`);
      expect(url, next).toBe(`${workspace.url}/meldingen`);
    }
  });

  it('refuses a callback it did not start: another browser\'s, replayed', async () => {
    const browser = new Browser();
    const { hops } = await browser.logIn('/meldingen');
    const callback = hops.find((hop) => hop.startsWith(`${workspace.url}/auth/callback?`))!;
    const replayed = await new Browser().fetch(callback);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('Inloggen mislukt');
    expect(replayed.headers.getSetCookie().some((line) => line.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
  });
});

describe('registering for e-mail notices at login', () => {
  const members = () => workspaceTablePorts(documentClient(test.pipeline.standIns.clients.dynamodb), LOCAL_TABLE_NAME).members;

  it('registers a new member opted out, mail active, following the team, with the address of the id token', async () => {
    const username = 'utrecht-buurtteam-west.1';
    await new Browser().logIn('/meldingen', username);
    expect(await members().get(username)).toEqual({
      memberId: username,
      email: `${username}@${LOCAL_MAIL_DOMAIN}`,
      locale: 'nl',
      teams: ['utrecht-buurtteam-west'],
      coordinatorOf: [],
      optedIn: false,
      kinds: {},
      mail: 'active',
      updatedAtMs: nowMs,
    });
  });

  it("keeps a known member's choices and mail status, and refreshes their address, teams and coordinated municipalities", async () => {
    const username = 'coordinator.GM0344';
    await new Browser().logIn('/regie', username);
    const first = (await members().get(username))!;
    expect(first.coordinatorOf).toEqual(['GM0344']);
    const chosen = { ...first, email: 'oud@gemeente.example', teams: ['utrecht-schuldhulp'], coordinatorOf: [], optedIn: true, kinds: { digest: false }, digestTime: '07:15', locale: 'en' as const };
    await members().put({ ...chosen, mail: 'complained', mailOffAtMs: nowMs - MINUTE });

    nowMs += MINUTE;
    await new Browser().logIn('/regie', username);
    // A new address is worth a try: the complaint was about the old one.
    expect(await members().get(username)).toEqual({ ...chosen, email: first.email, teams: [], coordinatorOf: ['GM0344'], mail: 'active', updatedAtMs: nowMs });
  });

  it('keeps the session free of the address: the member as the id token names them carries none', () => {
    const claims = { sub: MEMBER, 'cognito:groups': ['team.utrecht-schuldhulp'], email: `${MEMBER}@${LOCAL_MAIL_DOMAIN}` };
    expect(memberFromClaims(claims)).toEqual({ id: MEMBER, roles: [{ kind: 'team', team: 'utrecht-schuldhulp' }], locale: 'nl' });
  });

  it('without an address from the provider: registers no new member, and keeps the address of a known one', () => {
    const member = memberFromClaims({ sub: 'sh-207', 'cognito:groups': ['team.utrecht-schuldhulp'] })!;
    expect(registeredMember(undefined, member, undefined, nowMs)).toBeUndefined();
    const known = registeredMember(undefined, member, 'sh207@gemeente.example', nowMs - MINUTE)!;
    const moved = memberFromClaims({ sub: 'sh-207', 'cognito:groups': ['team.utrecht-buurtteam-west'] })!;
    expect(registeredMember(known, moved, undefined, nowMs)).toEqual({ ...known, teams: ['utrecht-buurtteam-west'], updatedAtMs: nowMs });
  });
});

describe('the session', () => {
  it('refuses a tampered cookie, a cookie made with another key, and one past its 10 hours', async () => {
    const member = memberFromClaims({ sub: MEMBER, 'cognito:groups': ['team.utrecht-schuldhulp'] })!;
    const valid = await sessionCookieFor(member, settings, nowMs);
    const page = (cookie: string) => fetch(`${workspace.url}/meldingen`, { headers: { cookie }, redirect: 'manual' });
    expect((await page(valid)).status).toBe(200);

    const value = valid.slice(valid.indexOf('=') + 1);
    const parts = value.split('.');
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    expect((await page(`${SESSION_COOKIE}=${[...parts.slice(0, 3), flipped, parts[4]].join('.')}`)).status).toBe(303);
    expect((await page(await sessionCookieFor(member, { ...settings, sessionKey: randomBytes(32) }, nowMs))).status).toBe(303);
    const old = await sessionCookieFor(member, settings, nowMs - SESSION_LIMIT_MS);
    const refused = await page(old);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/auth/login?next=%2Fmeldingen');
  });

  it('sends a page without a session to the login, but not what a page loads (a favicon starts no login)', async () => {
    const page = await fetch(`${workspace.url}/meldingen`, { headers: { 'sec-fetch-dest': 'document' }, redirect: 'manual' });
    expect(page.status).toBe(303);
    const icon = await fetch(`${workspace.url}/favicon.ico`, { headers: { 'sec-fetch-dest': 'image' }, redirect: 'manual' });
    expect(icon.status).toBe(401);
    expect(icon.headers.getSetCookie()).toEqual([]);
  });

  it('ends after 30 minutes without a request, each request starting the 30 minutes again, and after 10 hours in any case', async () => {
    const browser = new Browser();
    await browser.logIn('/meldingen');
    const started = nowMs;
    try {
      const status = async () => (await browser.fetch(`${workspace.url}/meldingen`)).status;
      nowMs += IDLE_TIMEOUT_MS - MINUTE;
      expect(await status()).toBe(200);
      nowMs += IDLE_TIMEOUT_MS - MINUTE;
      expect(await status()).toBe(200);
      nowMs += IDLE_TIMEOUT_MS;
      expect(await status()).toBe(303);

      await browser.logIn('/meldingen');
      const loggedIn = nowMs;
      while (nowMs + IDLE_TIMEOUT_MS / 2 < loggedIn + SESSION_LIMIT_MS) {
        nowMs += IDLE_TIMEOUT_MS / 2;
        expect(await status()).toBe(200);
      }
      nowMs = loggedIn + SESSION_LIMIT_MS;
      expect(await status()).toBe(303);
    } finally {
      nowMs = started;
    }
  });

  it('ends at logout, and sends the browser to the provider to end its session there too', async () => {
    const browser = new Browser();
    const { response } = await browser.logIn('/meldingen');
    const csrf = browser.csrfOf(await response.text());
    const out = await browser.post('/auth/logout', { csrf });
    expect(out.status).toBe(303);
    const endSession = new URL(out.headers.get('location')!);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${workspace.identity.issuer}/session/end`);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${workspace.url}/auth/logged-out`);
    expect(out.headers.get('clear-site-data')).toBe('"cache"');
    expect(browser.cookies.get(new URL(workspace.url).host)!.has(SESSION_COOKIE)).toBe(false);
    expect((await browser.fetch(`${workspace.url}/meldingen`)).status).toBe(303);

    // The provider asks, in Dutch, and comes back to the workspace's logged-out page.
    const confirm = await browser.fetch(endSession.href);
    const confirmHtml = await confirm.text();
    expect(confirmHtml).toContain('Ja, uitloggen');
    const action = /<form[^>]*action="([^"]+)"/.exec(confirmHtml)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirmHtml)![1]!;
    const { url, response: loggedOut } = await browser.follow(new URL(action, endSession).href, { method: 'POST', body: new URLSearchParams({ xsrf, logout: 'yes' }) });
    expect(url).toBe(`${workspace.url}/auth/logged-out`);
    expect(await loggedOut.text()).toContain('U bent uitgelogd');
  });
});

describe('forms', () => {
  it('take a POST only with the session, its CSRF token, and from a page of the workspace (Origin, or Sec-Fetch-Site when the Origin is null)', async () => {
    const browser = new Browser();
    const { response } = await browser.logIn('/meldingen');
    const csrf = browser.csrfOf(await response.text());
    const action = '/meldingen/al_unknown/oppakken';

    expect((await browser.post(action, {})).status).toBe(403);
    expect((await browser.post(action, { csrf: `${csrf.slice(0, -1)}x` })).status).toBe(403);
    expect((await browser.post(action, { csrf }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await browser.post(action, { csrf }, { origin: 'null', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await browser.post(action, { csrf }, { origin: 'null' })).status).toBe(403);
    expect((await browser.post(action, { csrf }, {})).status).toBe(403);
    expect((await browser.post('/auth/logout', { csrf: 'not-it' })).status).toBe(403);
    // Through the guards: the page itself answers (no such alert).
    expect((await browser.post(action, { csrf })).status).toBe(404);
    expect((await browser.post(action, { csrf }, { origin: 'null', 'sec-fetch-site': 'same-origin' })).status).toBe(404);
    // Another member's token is not this session's.
    const other = new Browser();
    await other.logIn('/meldingen', 'utrecht-schuldhulp.2');
    expect((await other.post(action, { csrf })).status).toBe(403);

    const anonymous = await new Browser().post(action, { csrf });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('Uw sessie is verlopen');
  });
});

describe('headers', () => {
  it('a page: a CSP without script, forms only to the workspace and its provider, HSTS, nosniff, no referrer, no caching', async () => {
    const { response } = await new Browser().logIn('/meldingen');
    const csp = response.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
    expect(directives).toEqual({
      'default-src': "'none'",
      'style-src': "'self'",
      'img-src': "'self'",
      'form-action': `'self' ${workspace.identity.issuer}`,
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
    });
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8}; includeSubDomains$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('/health and the stylesheet answer without a login; the stylesheet may be cached, a login page not', async () => {
    const health = await fetch(`${workspace.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-security-policy')).toContain("default-src 'none'");
    const css = await fetch(`${workspace.url}/static/workspace.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).toContain('immutable');
    const loggedOut = await fetch(`${workspace.url}/auth/logged-out`);
    expect(loggedOut.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the id token read as a member', () => {
  it('takes the roles of the groups it knows, none of any other group, and refuses a subject that is not a pseudonymous id', () => {
    expect(memberFromClaims({ sub: 'sh-207', 'cognito:groups': ['team.utrecht-schuldhulp', 'Admins', 'coordinator.', 'beheer.GM0344', 'privacy-officer.GM0344'] })).toEqual({
      id: 'sh-207',
      roles: [
        { kind: 'team', team: 'utrecht-schuldhulp' },
        { kind: 'privacy-officer', municipalityCode: 'GM0344' },
      ],
      locale: 'nl',
    });
    expect(memberFromClaims({ sub: 'sh-207', 'cognito:groups': ['us-east-1_pool_Google'] })?.roles).toEqual([]);
    expect(memberFromClaims({ sub: 'sh-207', locale: 'en-GB' })).toEqual({ id: 'sh-207', roles: [], locale: 'en' });
    expect(memberFromClaims({ sub: 'j.devries@example.nl', 'cognito:groups': ['team.utrecht-schuldhulp'] })).toBeUndefined();
  });
});

describe('the local identity provider', () => {
  it('seeds two members per team and one user per municipal role, each with a pseudonymous id for a name and a local address', () => {
    const users = localIdentityUsers(test.policy);
    const byGroup = new Map<string, string[]>();
    for (const user of users) {
      expect(user.username).toMatch(MEMBER_ID_PATTERN);
      expect(user.username).not.toContain('@');
      expect(user.email).toBe(`${user.username}@${LOCAL_MAIL_DOMAIN}`);
      expect(user.roles).toHaveLength(1);
      const group = groupOfRole(user.roles[0]!);
      byGroup.set(group, [...(byGroup.get(group) ?? []), user.username]);
    }
    for (const { name, role } of workspaceGroups(test.policy)) expect(byGroup.get(name)?.length, name).toBe(role.kind === 'team' ? 2 : 1);
    expect(new Set(users.map((user) => user.username)).size).toBe(users.length);
    expect(workspace.identity.users).toEqual(users);
  });

  it('is discovered as an OpenID provider that requires PKCE with S256 and signs id tokens with RS256', async () => {
    const discovery = (await (await fetch(`${workspace.identity.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(workspace.identity.issuer);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.id_token_signing_alg_values_supported).toContain('RS256');
    expect(discovery.end_session_endpoint).toBe(`${workspace.identity.issuer}/session/end`);
    // Without a code challenge the provider refuses to start a login.
    const authorize = new URL(`${workspace.identity.issuer}/auth`);
    for (const [name, value] of Object.entries({ client_id: workspace.identity.clientId, response_type: 'code', scope: 'openid', redirect_uri: `${workspace.url}/auth/callback` })) authorize.searchParams.set(name, value);
    const refused = await fetch(authorize, { redirect: 'manual' });
    expect(new URL(refused.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });
});

/**
 * Cognito's discovery document has no end_session_endpoint, and its login and logout pages live
 * on the user pool's own domain, not the issuer's: served here as Cognito publishes them.
 */
describe("against Cognito's discovery document", () => {
  let cognito: Server;
  let issuer: string;
  let hostedDomain: string;

  beforeAll(async () => {
    cognito = createServer((req, res) => {
      if (req.url !== '/eu-west-1_pool/.well-known/openid-configuration') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${hostedDomain}/oauth2/authorize`,
          token_endpoint: `${hostedDomain}/oauth2/token`,
          userinfo_endpoint: `${hostedDomain}/oauth2/userInfo`,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          response_types_supported: ['code', 'token'],
          scopes_supported: ['openid', 'email', 'phone', 'profile'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        }),
      );
    });
    await new Promise<void>((resolve) => cognito.listen(0, '127.0.0.1', resolve));
    const { port } = cognito.address() as AddressInfo;
    // One server, two origins: the issuer on localhost, the pool's domain on 127.0.0.1.
    issuer = `http://localhost:${port}/eu-west-1_pool`;
    hostedDomain = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => cognito?.close(resolve));
  });

  function cognitoApp() {
    const db = documentClient(test.pipeline.standIns.clients.dynamodb);
    const identity: IdentitySettings = { issuer, clientId: 'cognito-app-client', publicOrigin: 'https://werkplaats.example', sessionKey, allowInsecureIssuer: true };
    const app = createWorkspaceApp({
      policy: () => test.policy,
      ...workspaceTablePorts(db, LOCAL_TABLE_NAME),
      publisher: new EventBridgePublisher(test.pipeline.busClient(), BUSES.pipeline),
      clock: () => nowMs,
      identity,
    });
    return { app, identity };
  }

  it('logs in on the pool domain, lets the pages\' forms go there, and logs out at its /logout', async () => {
    const { app, identity } = cognitoApp();
    const login = await app.request('/auth/login');
    expect(login.status).toBe(303);
    const authorize = new URL(login.headers.get('location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${hostedDomain}/oauth2/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe('https://werkplaats.example/auth/callback');

    const cookie = await sessionCookieFor(memberFromClaims({ sub: MEMBER, 'cognito:groups': ['team.utrecht-schuldhulp'] })!, identity, nowMs);
    const page = await app.request('/meldingen', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${new URL(issuer).origin} ${hostedDomain};`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;

    const out = await app.request('/auth/logout', { method: 'POST', body: new URLSearchParams({ csrf }), headers: { cookie, origin: 'https://werkplaats.example' } });
    expect(out.status).toBe(303);
    const logout = new URL(out.headers.get('location')!);
    expect(`${logout.origin}${logout.pathname}`).toBe(`${hostedDomain}/logout`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: 'cognito-app-client', logout_uri: 'https://werkplaats.example/auth/logged-out' });
  });
});
