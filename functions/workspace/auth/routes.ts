/**
 * Login, logout and the guards in front of every page: `requireMember` (a valid session, renewed
 * on each request) and `requireCsrf` (every POST from a page of ours, with its session's token).
 * A login also registers the member for e-mail notices (registration.ts).
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { logger } from '../../lib/observability.ts';
import type { IdentitySettings, WorkspaceDeps, WorkspaceEnv } from '../deps.ts';
import { LOGGED_OUT_PATH, type OidcClient } from './oidc.ts';
import { AUTH_PAGES, renderAuthPage } from './pages.ts';
import { registerMember } from './registration.ts';
import {
  csrfTokenFor,
  isCsrfToken,
  LOGIN_COOKIE,
  LOGIN_TIMEOUT_MS,
  newSession,
  openPendingLogin,
  openSession,
  SESSION_COOKIE,
  sealPendingLogin,
  sealSession,
  type Session,
} from './session.ts';

export const LOGIN_PATH = '/auth/login';

/** `__Host-`: only this origin, over HTTPS (or localhost), on every path, never a Domain. */
const COOKIE: CookieOptions = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' };

/** A path, not `//host` or `/\\host` (which browsers take for another origin), nor a login route; printable ASCII only. */
const SAME_ORIGIN_PATH = /^\/(?![/\\]|auth\/)[\x21-\x7e]*$/;

/** A path on this origin to return to after login; anything else (another origin, `//host`) is the inbox. */
export function returnPath(candidate: string | undefined): string {
  return candidate !== undefined && SAME_ORIGIN_PATH.test(candidate) ? candidate : '/';
}

export function authRoutes(deps: WorkspaceDeps, oidc: OidcClient): Hono<WorkspaceEnv> {
  const app = new Hono<WorkspaceEnv>();
  const settings = deps.identity;

  app.get(LOGIN_PATH, async (c) => {
    const next = returnPath(c.req.query('next'));
    let started: Awaited<ReturnType<OidcClient['startLogin']>>;
    try {
      started = await oidc.startLogin(next);
    } catch (error) {
      logger.error('identity provider unreachable', { error: errorKind(error) });
      return c.html(renderAuthPage(AUTH_PAGES.loginFailed), 503);
    }
    setCookie(c, LOGIN_COOKIE, await sealPendingLogin(started.pending, settings, deps.clock()), { ...COOKIE, maxAge: LOGIN_TIMEOUT_MS / 1000 });
    return c.redirect(started.url.href, 303);
  });

  app.get('/auth/callback', async (c) => {
    const now = deps.clock();
    const pending = await openPendingLogin(getCookie(c, LOGIN_COOKIE), settings, now);
    deleteCookie(c, LOGIN_COOKIE, COOKIE);
    if (!pending) return c.html(renderAuthPage(AUTH_PAGES.loginFailed), 400);
    let loggedIn: Awaited<ReturnType<OidcClient['finishLogin']>>;
    try {
      loggedIn = await oidc.finishLogin(new URL(c.req.url).search, pending);
    } catch (error) {
      logger.warn('login refused', { error: errorKind(error) });
      return c.html(renderAuthPage(AUTH_PAGES.loginFailed), 400);
    }
    const { member } = loggedIn;
    if (member.roles.length === 0) {
      logger.warn('login without a workspace role');
      return c.html(renderAuthPage(AUTH_PAGES.noRole), 403);
    }
    try {
      await registerMember(deps.members, member, loggedIn.email, now);
    } catch (error) {
      // Notices must not keep a member from their alerts: the next login registers them.
      logger.error('member not registered for notices', { error: errorKind(error) });
    }
    await startSession(c, newSession(member, now), settings);
    return c.redirect(pending.next, 303);
  });

  // Works without a valid session too (an idle one, say): the provider's session must end all the same.
  app.post('/auth/logout', async (c) => {
    if (!isSameOrigin(c, settings)) return forbidden(c);
    const session = await openSession(getCookie(c, SESSION_COOKIE), settings, deps.clock());
    if (session && !isCsrfToken((await c.req.parseBody()).csrf, csrfTokenFor(session, settings))) return forbidden(c);
    deleteCookie(c, SESSION_COOKIE, COOKIE);
    // A shared laptop keeps nothing of the member's pages after logout.
    c.header('Clear-Site-Data', '"cache"');
    let target: string;
    try {
      target = (await oidc.logoutUrl()).href;
    } catch (error) {
      logger.error('identity provider unreachable at logout', { error: errorKind(error) });
      target = LOGGED_OUT_PATH;
    }
    return c.redirect(target, 303);
  });

  app.get(LOGGED_OUT_PATH, (c) => c.html(renderAuthPage(AUTH_PAGES.loggedOut)));

  return app;
}

/**
 * A valid session or no page: a GET goes to the login (and comes back here after), anything
 * else is answered 401. The session's idle time starts again with each request.
 */
export function requireMember(deps: WorkspaceDeps): MiddlewareHandler<WorkspaceEnv> {
  return async (c, next) => {
    const now = deps.clock();
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = await openSession(cookie, deps.identity, now);
    if (!session) {
      if (cookie !== undefined) deleteCookie(c, SESSION_COOKIE, COOKIE);
      // A page goes to the login; what a page loads (the favicon, say) does not start one.
      const dest = c.req.header('sec-fetch-dest');
      if ((c.req.method === 'GET' || c.req.method === 'HEAD') && (dest === undefined || dest === 'document')) {
        const url = new URL(c.req.url);
        return c.redirect(`${LOGIN_PATH}?next=${encodeURIComponent(returnPath(url.pathname + url.search))}`, 303);
      }
      return c.html(renderAuthPage(AUTH_PAGES.sessionEnded), 401);
    }
    await startSession(c, { ...session, seenAtMs: now }, deps.identity);
    c.set('member', session.member);
    c.set('csrfToken', csrfTokenFor(session, deps.identity));
    await next();
  };
}

/** Every POST comes from a page of this origin and carries its session's token in the form's `csrf` field. */
export function requireCsrf(deps: WorkspaceDeps): MiddlewareHandler<WorkspaceEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (!isSameOrigin(c, deps.identity)) return forbidden(c);
      if (!isCsrfToken((await c.req.parseBody()).csrf, c.var.csrfToken)) return forbidden(c);
    }
    await next();
  };
}

async function startSession(c: Context, session: Session, settings: IdentitySettings): Promise<void> {
  setCookie(c, SESSION_COOKIE, await sealSession(session, settings), COOKIE);
}

/**
 * Whether the browser says the request comes from a page of the workspace. Under our
 * Referrer-Policy no-referrer a browser sends `Origin: null` with a form's POST, so then its
 * Sec-Fetch-Site (which no page can set) must say same-origin; without either, no.
 */
function isSameOrigin(c: Context, settings: IdentitySettings): boolean {
  const origin = c.req.header('origin');
  if (origin === 'null') return c.req.header('sec-fetch-site') === 'same-origin';
  return origin === new URL(settings.publicOrigin).origin;
}

function forbidden(c: Context) {
  return c.html(renderAuthPage(AUTH_PAGES.forbidden), 403);
}

/** What went wrong, as a class of error: never a token, claim or URL with a code in it. */
function errorKind(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'unknown';
}
