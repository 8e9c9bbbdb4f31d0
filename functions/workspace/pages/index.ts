/**
 * The workspace's pages as a Hono sub-app, behind the session and CSRF guards of auth/ (which
 * set `member` and `csrfToken`): the landing page, the team's inbox and an alert with its
 * actions, the coordinator's view and the privacy officer's access log, the e-mail notices'
 * settings (settings.ts), and the language switch. Server-rendered HTML that works without JavaScript; no page, title or URL holds
 * personal data except the alert page's body, which only a member of the alert's team sees,
 * after their view is written to the access log.
 */
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { accessMonthOf, readMonitorFigures } from '@vroegsignaal/domain';
import { monitorReportFragment } from '../../monitor/report.ts';
import { logger } from '../../lib/observability.ts';
import { returnPath } from '../auth/routes.ts';
import type { WorkspaceDeps, WorkspaceEnv } from '../deps.ts';
import { isLocale } from '../i18n.ts';
import { accessLogPage, isMonth, shiftMonth } from './access-log.ts';
import { performAction, isActionPath } from './actions.ts';
import { alertOfMember, alertPage, loadAlert, noticeOfQuery, recordAccess, type Notice } from './alert.ts';
import { coordinatorPage } from './coordinator.ts';
import { inboxPage } from './inbox.ts';
import { settingsRoutes } from './settings.ts';
import { DDAS_DOWNLOAD_PATH, MONITOR_PATH, monitorPage, type MonitorPageProps } from './monitor.ts';
import { exportDdas, isPeriod } from '../ddas.ts';
import { errorPage, LOCALE_COOKIE, municipalitiesOf, municipalityName, page, placesOf, teamName, teamsOf, viewOf, type View } from './layout.ts';
import type { AlertIndexRecord } from '@vroegsignaal/domain';

const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** The one of `allowed` the query names, else the first; undefined when the member has none. */
function chosen(allowed: string[], asked: string | undefined): string | undefined {
  return asked !== undefined && allowed.includes(asked) ? asked : allowed[0];
}

export function workspacePages(deps: WorkspaceDeps): Hono<WorkspaceEnv> {
  const app = new Hono<WorkspaceEnv>();
  app.use(compress());
  const viewFor = (c: Context<WorkspaceEnv>): View => viewOf(c, deps.policy(), deps.clock(), deps.outbox !== undefined);
  const forbidden = (c: Context<WorkspaceEnv>, view: View) => c.html(errorPage(view, 'forbidden'), 403);
  const notFound = (c: Context<WorkspaceEnv>, view: View) => c.html(errorPage(view, 'notFound'), 404);

  app.get('/', (c) => {
    const view = viewFor(c);
    const places = placesOf(view.member);
    if (places.length === 0) return forbidden(c, view);
    const teams = teamsOf(view.member);
    const coordinated = municipalitiesOf(view.member, 'coordinator');
    const monitored = municipalitiesOf(view.member, 'municipality');
    const logged = municipalitiesOf(view.member, 'privacy-officer');
    const links = [
      ...teams.map((team) => ({ href: teams.length > 1 ? `/meldingen?team=${team}` : '/meldingen', label: view.t.landing.inboxOf(teamName(view, team)) })),
      ...coordinated.map((code) => ({ href: coordinated.length > 1 ? `/regie?gemeente=${code}` : '/regie', label: view.t.landing.coordinatorOf(municipalityName(view, code)) })),
      ...monitored.map((code) => ({ href: monitored.length > 1 ? `${MONITOR_PATH}?gemeente=${code}` : MONITOR_PATH, label: view.t.landing.monitorOf(municipalityName(view, code)) })),
      ...logged.map((code) => ({ href: logged.length > 1 ? `/toegang?gemeente=${code}` : '/toegang', label: view.t.landing.accessOf(municipalityName(view, code)) })),
    ];
    if (links.length === 1) return c.redirect(links[0]!.href, 303);
    const body = html`<h1 class="utrecht-heading-1">${view.t.landing.title}</h1>
<p class="utrecht-paragraph">${view.t.landing.intro}</p>
<ul class="utrecht-unordered-list">${links.map((l) => html`<li class="utrecht-unordered-list__item"><a class="utrecht-link" href="${l.href}">${l.label}</a></li>`)}</ul>`;
    return c.html(page(view, { title: view.t.landing.title, body }));
  });

  app.get('/taal', (c) => {
    const locale = c.req.query('naar');
    if (isLocale(locale)) setCookie(c, LOCALE_COOKIE, locale, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax', maxAge: ONE_YEAR_S });
    return c.redirect(returnPath(c.req.query('terug')), 303);
  });

  app.get('/meldingen', async (c) => {
    const view = viewFor(c);
    const team = chosen(teamsOf(view.member), c.req.query('team'));
    if (!team) return forbidden(c, view);
    if (c.req.query('team') !== undefined && c.req.query('team') !== team) return forbidden(c, view);
    const alerts = await deps.inbox.openAlerts(team);
    return c.html(inboxPage(view, team, alerts, c.req.query()));
  });

  /** The alert page for a member of its team: the access record first, and no personal data without it. */
  const showAlert = async (c: Context<WorkspaceEnv>, view: View, index: AlertIndexRecord, notice: Notice | undefined, status: 200 | 422) => {
    const loaded = await loadAlert(deps, view, index);
    const { household } = loaded;
    if (household) {
      try {
        await recordAccess(deps, view, { ...loaded, household });
      } catch (error) {
        logger.error('access record not written: the alert page is withheld', { alertId: index.alertId, error: error instanceof Error ? error.name : 'unknown' });
        return c.html(errorPage(view, 'unavailable'), 503);
      }
    }
    return c.html(alertPage(view, loaded, notice), status);
  };

  app.get('/meldingen/:alertId', async (c) => {
    const view = viewFor(c);
    if (teamsOf(view.member).length === 0) return forbidden(c, view);
    const index = await alertOfMember(deps, view, c.req.param('alertId'));
    if (!index) return notFound(c, view);
    return showAlert(c, view, index, noticeOfQuery(c.req.query()), 200);
  });

  app.post('/meldingen/:alertId/:action', async (c) => {
    const alertId = c.req.param('alertId');
    const view = { ...viewFor(c), here: `/meldingen/${encodeURIComponent(alertId)}` };
    if (teamsOf(view.member).length === 0) return forbidden(c, view);
    const action = c.req.param('action');
    const index = await alertOfMember(deps, view, alertId);
    if (!index || !isActionPath(action)) return notFound(c, view);
    const result = await performAction(deps, view, index, action, await c.req.parseBody());
    if (result.ok) return c.redirect(`${view.here}?gedaan=${result.done}&partners=${result.told}`, 303);
    switch (result.rejection) {
      case 'unknown-alert':
      case 'other-team':
        return notFound(c, view);
      case 'source':
      case 'unknown-team':
        return forbidden(c, view);
      default: {
        const reasons = view.t.actions.rejections;
        const reason = result.rejection in reasons ? reasons[result.rejection as keyof typeof reasons] : reasons.contract;
        return showAlert(c, view, index, { kind: 'rejected', reason }, 422);
      }
    }
  });

  app.get('/regie', async (c) => {
    const view = viewFor(c);
    const municipalities = municipalitiesOf(view.member, 'coordinator');
    const municipalityCode = chosen(municipalities, c.req.query('gemeente'));
    if (!municipalityCode) return forbidden(c, view);
    const teams = view.policy.teams().filter((t) => t.municipalityCode === municipalityCode);
    const alerts = (await Promise.all(teams.map((t) => deps.inbox.openAlerts(t.id)))).flat();
    return c.html(coordinatorPage(view, municipalityCode, alerts));
  });

  const showMonitor = async (c: Context<WorkspaceEnv>, view: View, p: Omit<MonitorPageProps, 'report'>) => {
    const figures = await readMonitorFigures(deps.monitor, view.policy, p.municipalityCode, p.month, view.nowMs);
    return c.html(monitorPage(view, { ...p, report: monitorReportFragment(figures) }), p.badMonth || p.badPeriod ? 400 : 200);
  };

  // The municipality role only: the monitor is the municipality's account of its work, not a team's.
  app.get(MONITOR_PATH, async (c) => {
    const view = viewFor(c);
    const municipalities = municipalitiesOf(view.member, 'municipality');
    const named = c.req.query('gemeente');
    const municipalityCode = chosen(municipalities, named);
    if (!municipalityCode || (named !== undefined && named !== municipalityCode)) return forbidden(c, view);
    const asked = c.req.query('maand');
    const badMonth = asked !== undefined && !isMonth(asked);
    // The last whole month: what a council asks about; the month under way is one click on.
    const month = isMonth(asked) ? asked : shiftMonth(accessMonthOf(view.nowMs), -1);
    return showMonitor(c, view, { municipalityCode, month, municipalities, badMonth, badPeriod: false });
  });

  // The export holds addresses: a file for the municipality role only, its access record first, never a page.
  app.post(DDAS_DOWNLOAD_PATH, async (c) => {
    const view = viewFor(c);
    const municipalities = municipalitiesOf(view.member, 'municipality');
    const form = await c.req.parseBody();
    const asked = typeof form.gemeente === 'string' ? form.gemeente : undefined;
    const municipalityCode = chosen(municipalities, asked);
    if (!municipalityCode || (asked !== undefined && asked !== municipalityCode)) return forbidden(c, view);
    const { van: from, tot: to } = form;
    if (typeof from !== 'string' || typeof to !== 'string' || !isPeriod(from, to)) {
      const month = typeof from === 'string' && isMonth(from.slice(0, 7)) ? from.slice(0, 7) : shiftMonth(accessMonthOf(view.nowMs), -1);
      return showMonitor(c, view, { municipalityCode, month, municipalities, badMonth: false, badPeriod: true });
    }
    let document: Awaited<ReturnType<typeof exportDdas>>;
    try {
      document = await exportDdas(deps, { municipalityCode, from, to, by: view.member.id, channel: 'download' }, view.nowMs);
    } catch (error) {
      logger.error('ddas export withheld: access record or export failed', { municipalityCode, error: error instanceof Error ? error.name : 'unknown' });
      return c.html(errorPage(view, 'unavailable'), 503);
    }
    c.header('Content-Disposition', `attachment; filename="ddas-${municipalityCode}-${from}-${to}.json"`);
    return c.json(document);
  });

  app.get('/toegang', async (c) => {
    const view = viewFor(c);
    const municipalities = municipalitiesOf(view.member, 'privacy-officer');
    const municipalityCode = chosen(municipalities, c.req.query('gemeente'));
    if (!municipalityCode) return forbidden(c, view);
    const asked = c.req.query('maand');
    const badMonth = asked !== undefined && !isMonth(asked);
    const month = isMonth(asked) ? asked : accessMonthOf(view.nowMs);
    const records = await deps.access.month(municipalityCode, month);
    return c.html(accessLogPage(view, { municipalityCode, month, records, badMonth, municipalities }), badMonth ? 400 : 200);
  });

  app.route('/', settingsRoutes(deps, viewFor));

  return app;
}
