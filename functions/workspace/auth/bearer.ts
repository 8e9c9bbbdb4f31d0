/**
 * The bearer access tokens of `POST /gegevens` (OAuth2 client credentials): a machine's call,
 * not a member's, so no session and no cookie. A token is accepted when the issuer signed it
 * (its JWKS, fetched and cached by jose), it has not expired, it is an access token (Cognito's
 * `token_use`; an id token never passes), it was issued to one of the allowed machine clients,
 * names the audience where one is set, and carries the pull scope.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { PullSettings } from '../deps.ts';

export type BearerResult =
  | { ok: true; clientId: string }
  /** 401: no token, or not one of the issuer's valid access tokens. 403: a valid token without the scope or of another client. */
  | { ok: false; status: 401 | 403; error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' };

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

export function bearerVerifier(settings: PullSettings): (authorization: string | undefined) => Promise<BearerResult> {
  const keys = createRemoteJWKSet(new URL(settings.jwksUri));
  return async (authorization) => {
    const token = BEARER.exec(authorization ?? '')?.[1];
    if (!token) return { ok: false, status: 401, error: 'invalid_request' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        algorithms: ['RS256'],
        ...(settings.audience !== undefined ? { audience: settings.audience } : {}),
      }));
    } catch (error) {
      // The key set being unreachable is ours to fix, not the caller's: let it surface as a 5xx.
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) return { ok: false, status: 401, error: 'invalid_token' };
      throw error;
    }
    if (payload.token_use !== undefined && payload.token_use !== 'access') return { ok: false, status: 401, error: 'invalid_token' };
    const clientId = payload.client_id;
    if (typeof clientId !== 'string') return { ok: false, status: 401, error: 'invalid_token' };
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!settings.clientIds.includes(clientId) || !scopes.includes(settings.scope)) return { ok: false, status: 403, error: 'insufficient_scope' };
    return { ok: true, clientId };
  };
}
