/**
 * The team workspace as one Hono app, the same on Lambda (index.ts) and on Node (`npm run
 * serve`): security headers on every response; the stylesheet and /health open to all; the
 * login routes; the DDAS pull endpoint, which has its own bearer tokens and no cookie; then, for
 * everything else, a valid session and, for every POST, the CSRF check, in front of the pages.
 */
import { Hono } from 'hono';
import { logger } from '../lib/observability.ts';
import { securityHeaders } from './auth/headers.ts';
import { oidcClient } from './auth/oidc.ts';
import { authRoutes, requireCsrf, requireMember } from './auth/routes.ts';
import { pullRoutes } from './gegevens.ts';
import type { WorkspaceDeps, WorkspaceEnv } from './deps.ts';
import { workspacePages } from './pages/index.ts';
import { workspaceAssets } from './static/assets.ts';

export function createWorkspaceApp(deps: WorkspaceDeps): Hono<WorkspaceEnv> {
  const oidc = oidcClient(deps.identity);
  const app = new Hono<WorkspaceEnv>();
  app.use(securityHeaders(oidc));
  app.onError((error, c) => {
    // The kind of error only: a message could quote an address or a token.
    logger.error('workspace request failed', { error: error.name, path: new URL(c.req.url).pathname.split('/')[1] ?? '' });
    return c.text('Er ging iets mis. Probeer het later opnieuw.', 500);
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.route('/', workspaceAssets());
  app.route('/', authRoutes(deps, oidc));
  if (deps.pull) app.route('/', pullRoutes(deps, deps.pull));
  app.use('*', async (_c, next) => {
    // The pages' CSP names the provider's login and logout pages as form targets: know them first.
    await oidc.ready();
    await next();
  });
  app.use('*', requireMember(deps), requireCsrf(deps));
  app.route('/', workspacePages(deps));
  return app;
}
