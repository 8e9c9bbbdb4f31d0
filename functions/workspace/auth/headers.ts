/**
 * The headers every response of the workspace carries: a Content Security Policy that allows no
 * script at all and styles and images from this origin only, forms that go nowhere but here and
 * to the identity provider (login, logout), no framing; HSTS, nosniff, no referrer (URLs hold
 * alert ids); and no caching of anything that is not a static asset (pages hold personal data).
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { OidcClient } from './oidc.ts';

export function securityHeaders(oidc: OidcClient): MiddlewareHandler {
  const secure = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      formAction: ["'self'", () => oidc.formTargets().join(' ')],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    strictTransportSecurity: 'max-age=63072000; includeSubDomains',
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
  });
  return async (c, next) => {
    await secure(c, async () => {
      await next();
      if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store');
    });
  };
}
