/**
 * `POST /gegevens`: the DDAS export pulled by the statistics office, in the shape of the
 * standard's pull request (a JSON body with the delivery period, the delivering organisation,
 * and, ours, paging of at most 50,000 signals a page), answered with `{ gegevens, paginering }`
 * where `gegevens` is a DDAS v1.2 document. A machine's call: an OAuth2 client-credentials
 * bearer token instead of a session, so no cookie and no CSRF token; every call that gets data
 * writes an access record. Mutual TLS and message signing are the deployment's (README).
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { amsterdamDate } from '@vroegsignaal/calendar';
import { accessMonthOf } from '@vroegsignaal/domain';
import { logger } from '../lib/observability.ts';
import { bearerVerifier } from './auth/bearer.ts';
import { ddasPage, exportDdas, isPeriod } from './ddas.ts';
import type { PullSettings, WorkspaceDeps, WorkspaceEnv } from './deps.ts';
import { lastDayOf } from './pages/monitor.ts';
import { shiftMonth } from './pages/access-log.ts';

export const PULL_PATH = '/gegevens';
/** The standard's limit: at most this many signals a page. */
export const MAX_PAGE_SIZE = 50_000;

const PULL_REQUEST = z.object({
  aanleverperiodeStartdatum: z.string().optional(),
  aanleverperiodeEinddatum: z.string().optional(),
  /** The delivering organisation: the municipality's code (`GM0344`, or the CBS digits `0344`). */
  aanleverende_organisatie: z.string().optional(),
  pagina: z.int().min(1).default(1),
  paginagrootte: z.int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
  /** The standard's JAdES signature of the request: checked by the deployment's gateway, not here. */
  signature: z.unknown().optional(),
});

export function pullRoutes(deps: WorkspaceDeps, settings: PullSettings): Hono<WorkspaceEnv> {
  const app = new Hono<WorkspaceEnv>();
  const verify = bearerVerifier(settings);
  const refuse = (error: string, description: string) => ({ fout: error, omschrijving: description });

  app.post(PULL_PATH, async (c) => {
    const token = await verify(c.req.header('authorization'));
    if (!token.ok) {
      c.header('WWW-Authenticate', `Bearer realm="ddas", error="${token.error}", scope="${settings.scope}"`);
      return c.json(refuse(token.error, token.status === 401 ? 'Een geldig toegangstoken (OAuth2 client credentials) is nodig.' : `Het toegangstoken geeft geen recht op ${settings.scope}.`), token.status);
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json(refuse('invalid_request', 'De vraag is geen JSON.'), 400);
    }
    const parsed = PULL_REQUEST.safeParse(body);
    if (!parsed.success) return c.json(refuse('invalid_request', `Ongeldige vraag: ${parsed.error.issues.map((i) => i.path.join('.') || 'body').join(', ')}.`), 400);
    const request = parsed.data;
    const policy = deps.policy();
    const municipalityCode = municipalityOf(request.aanleverende_organisatie, policy.policy.municipalities.map((m) => m.code));
    if (!municipalityCode) return c.json(refuse('invalid_request', 'Noem de aanleverende organisatie met een gemeentecode van deze levering.'), 400);
    // The standard leaves an absent period to the deliverer: the last whole month.
    const nowMs = deps.clock();
    const lastMonth = shiftMonth(accessMonthOf(nowMs), -1);
    const from = request.aanleverperiodeStartdatum ?? `${lastMonth}-01`;
    const to = request.aanleverperiodeEinddatum ?? (request.aanleverperiodeStartdatum ? amsterdamDate(new Date(nowMs)) : lastDayOf(lastMonth));
    if (!isPeriod(from, to)) return c.json(refuse('invalid_request', 'De periode loopt van een datum tot een datum niet ervoor (JJJJ-MM-DD), hooguit een jaar.'), 400);

    let document: Awaited<ReturnType<typeof exportDdas>>;
    try {
      document = await exportDdas(deps, { municipalityCode, from, to, by: token.clientId, channel: 'pull' }, nowMs);
    } catch (error) {
      logger.error('ddas pull refused: access record or export failed', { municipalityCode, error: error instanceof Error ? error.name : 'unknown' });
      return c.json(refuse('temporarily_unavailable', 'Probeer het later opnieuw.'), 503);
    }
    const page = ddasPage(document, request.pagina, request.paginagrootte);
    logger.info('ddas pulled', { municipalityCode, from, to, page: request.pagina, pages: page.pages, signals: page.signals });
    return c.json({ gegevens: page.document, paginering: { pagina: request.pagina, paginagrootte: request.paginagrootte, aantalPaginas: page.pages, aantalVroegsignalen: page.signals } });
  });

  return app;
}

/** The municipality the request names (`GM0344` or `0344`); without a name, the deployment's only one. */
function municipalityOf(named: string | undefined, codes: string[]): string | undefined {
  if (named === undefined) return codes.length === 1 ? codes[0] : undefined;
  const code = /^\d{4}$/.test(named) ? `GM${named}` : named.toUpperCase();
  return codes.includes(code) ? code : undefined;
}
