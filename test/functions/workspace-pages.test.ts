/**
 * The workspace's pages through app.request, on the stand-ins (dynalite and the local buses)
 * through the real adapters, with alerts the pipeline raised from partner signals: the inbox,
 * an alert and its actions (whose outcomes reach the partners), the coordinator's view and
 * the access log. A small middleware stands in for the login: it sets the member as the
 * session would.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, EventBridgePublisher, workspaceTablePorts } from '@vroegsignaal/adapters';
import { BUSES, type EventEnvelope } from '@vroegsignaal/events';
import { workspacePages, type Member, type WorkspaceDeps, type WorkspaceEnv } from '@vroegsignaal/functions';
import type { WorkspaceRole } from '@vroegsignaal/policy';
import { LOCAL_TABLE_NAME } from '@vroegsignaal/stand-ins';
import { arrears, home, proceeding, NOW } from '../scenarios/entries.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const DAY = 24 * 60 * 60 * 1000;
const UTRECHT = 'GM0344';
const DEBT_TEAM = 'utrecht-schuldhulp';
const EVICTION_TEAM = 'utrecht-voorkom-huisuitzetting';
const CSRF = 'csrf-of-the-test-session';

/** Households with the personal data no page but the alert page may show. */
const HOUSEHOLDS = {
  threeMonths: { home: home(UTRECHT, '3511 AB', 12, { houseLetter: 'a' }), contact: { name: 'Cor van Leeuwen', phone: '06-98765432', email: 'cor@example.com' } },
  twoMonths: { home: home(UTRECHT, '3521 CD', 5), contact: { name: 'Fatima el Amrani', phone: '06-12312312', email: 'fatima@example.com' } },
  summons: { home: home(UTRECHT, '3531 EF', 7), contact: { name: 'Jan de Vries', phone: '06-45645645', email: 'jan@example.com' } },
  summonsWithChild: { home: home(UTRECHT, '3541 GH', 9), contact: { name: 'Anouk Bakker', phone: '06-78978978', email: 'anouk@example.com' } },
};
const PERSONAL = Object.values(HOUSEHOLDS).flatMap(({ home: h, contact }) => [h.postcode, h.postcode.replace(' ', ''), contact.name, contact.phone, contact.email]);

const teamMember = (id: string, team: string): Member => ({ id, roles: [{ kind: 'team', team }], locale: 'nl' });
const ME = teamMember('m-schuld-1', DEBT_TEAM);
const COLLEAGUE = teamMember('m-schuld-2', DEBT_TEAM);
const EVICTION_MEMBER = teamMember('m-vhu-1', EVICTION_TEAM);
const role = (kind: Exclude<WorkspaceRole['kind'], 'team'>): Member => ({ id: `${kind}-utrecht`, roles: [{ kind, municipalityCode: UTRECHT }], locale: 'nl' });

let test: TestPipeline;
let nowMs = Date.parse(NOW);
let deps: WorkspaceDeps;
const published: EventEnvelope[] = [];
/** Alert ids by household, as the teams received them. */
const alertIds = {} as Record<keyof typeof HOUSEHOLDS, string>;

beforeAll(async () => {
  test = await startTestPipeline({ now: NOW });
  const db = documentClient(test.pipeline.standIns.clients.dynamodb);
  deps = {
    policy: () => test.policy,
    ...workspaceTablePorts(db, LOCAL_TABLE_NAME),
    publisher: new EventBridgePublisher(test.pipeline.busClient(), BUSES.pipeline),
    clock: () => nowMs,
    identity: { issuer: 'http://localhost:1', clientId: 'test', publicOrigin: 'http://localhost:2', sessionKey: new Uint8Array(32) },
  };
  test.pipeline.onPipelineEvent((event) => published.push(event));
  const observedAt = new Date(nowMs - DAY).toISOString();
  const { messages } = await test.send(
    arrears('portaal', { ...HOUSEHOLDS.threeMonths.home, observedAt, months: 3, amountCents: 240_000, contact: HOUSEHOLDS.threeMonths.contact }),
    arrears('portaal', { ...HOUSEHOLDS.twoMonths.home, observedAt, months: 2, amountCents: 160_000, contact: HOUSEHOLDS.twoMonths.contact }),
    proceeding('portaal', { ...HOUSEHOLDS.summons.home, observedAt, stage: 'summons', stageDate: observedAt.slice(0, 10), contact: HOUSEHOLDS.summons.contact }),
    proceeding('portaal', { ...HOUSEHOLDS.summonsWithChild.home, observedAt, stage: 'summons', stageDate: observedAt.slice(0, 10), minors: 1, contact: HOUSEHOLDS.summonsWithChild.contact }),
  );
  const byPostcode = new Map(messages.flatMap((m) => (m.kind === 'alert' ? [[m.address.postcode, m.alertId] as const] : [])));
  for (const [name, { home: h }] of Object.entries(HOUSEHOLDS)) alertIds[name as keyof typeof HOUSEHOLDS] = byPostcode.get(h.postcode.replace(' ', ''))!;
  expect(Object.values(alertIds).every(Boolean), 'every household alerted').toBe(true);
});

afterAll(async () => {
  await test?.stop();
});

function appFor(member: Member, wiring: WorkspaceDeps = deps): Hono<WorkspaceEnv> {
  const app = new Hono<WorkspaceEnv>();
  app.use(async (c, next) => {
    c.set('member', member);
    c.set('csrfToken', CSRF);
    await next();
  });
  app.route('/', workspacePages(wiring));
  return app;
}

async function get(member: Member, path: string, wiring: WorkspaceDeps = deps): Promise<{ status: number; body: string; location: string | null }> {
  const response = await appFor(member, wiring).request(path);
  return { status: response.status, body: await response.text(), location: response.headers.get('location') };
}

async function post(member: Member, path: string, fields: Record<string, string>): Promise<{ status: number; body: string; location: string | null }> {
  const response = await appFor(member).request(path, { method: 'POST', body: new URLSearchParams({ csrf: CSRF, ...fields }) });
  return { status: response.status, body: await response.text(), location: response.headers.get('location') };
}

/** The action id a form on the page carries for `action`. */
function actionIdOf(body: string, alertId: string, action: string): string {
  const form = body.slice(body.indexOf(`action="/meldingen/${alertId}/${action}"`));
  return /name="actie-id" value="([^"]+)"/.exec(form)![1]!;
}

const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '';
const alertLinks = (body: string) => [...body.matchAll(/href="\/meldingen\/(al_[^"?]+)/g)].map((m) => m[1]);
const personalIn = (text: string) => PERSONAL.filter((value) => text.includes(value));
const accessRecords = async () => deps.access.month(UTRECHT, NOW.slice(0, 7));

describe('the inbox', () => {
  it("lists the team's open alerts most pressing first (level, then deadline, then score), without personal data", async () => {
    // Act
    const debt = await get(ME, '/meldingen');
    const eviction = await get(EVICTION_MEMBER, '/meldingen');

    // Assess
    expect(debt.status).toBe(200);
    expect(alertLinks(debt.body)).toEqual([alertIds.threeMonths, alertIds.twoMonths]);
    expect(alertLinks(eviction.body)).toEqual([alertIds.summonsWithChild, alertIds.summons]);
    expect(eviction.body).toContain('urgent');
    expect(debt.body).toContain('3 mnd huurachterstand');
    expect(personalIn(debt.body + eviction.body)).toEqual([]);
  });

  it('filters by level, district and status, and counts per status what the other filters let through', async () => {
    // Act
    const all = await get(EVICTION_MEMBER, '/meldingen');
    const urgentOnly = await get(EVICTION_MEMBER, '/meldingen?niveau=urgent');
    const west = await get(EVICTION_MEMBER, '/meldingen?wijk=west');
    const pickedUp = await get(EVICTION_MEMBER, '/meldingen?status=picked-up');

    // Assess
    expect(all.body).toContain('nieuw: <strong>2</strong>');
    expect(alertLinks(urgentOnly.body)).toEqual([alertIds.summonsWithChild]);
    expect(urgentOnly.body).toContain('nieuw: <strong>1</strong>');
    expect(urgentOnly.body).toContain('<option value="urgent" selected>');
    expect(alertLinks(west.body)).toEqual([alertIds.summons]);
    expect(alertLinks(pickedUp.body)).toEqual([]);
    expect(pickedUp.body).toContain('Er zijn geen open meldingen die bij deze filters passen.');
  });

  it('does not write an access record', async () => {
    // Prepare
    const before = (await accessRecords()).length;

    // Act
    await get(ME, '/meldingen');

    // Assess
    expect((await accessRecords()).length).toBe(before);
  });

  it('marks an alert still new past its deadline "te laat", and filters on it', async () => {
    // Prepare: three weeks on: seven times the urgent alert's three working days (Monday to Thursday), past the two weeks of the other.
    nowMs = Date.parse(NOW) + 21 * DAY;
    try {
      // Act
      const late = await get(EVICTION_MEMBER, '/meldingen?telaat=1');
      const debtLate = await get(ME, '/meldingen?telaat=1');

      // Assess
      expect(alertLinks(late.body)).toEqual([alertIds.summonsWithChild, alertIds.summons]);
      expect(late.body).toContain('<span class="vs-late">7× te laat</span>');
      expect(late.body).toContain('<span class="vs-late">te laat</span>');
      expect(alertLinks(debtLate.body)).toEqual([]);
    } finally {
      nowMs = Date.parse(NOW);
    }
  });

  it("refuses a team the member is not in", async () => {
    expect((await get(ME, `/meldingen?team=${EVICTION_TEAM}`)).status).toBe(403);
  });
});

describe('an alert', () => {
  it('shows level, reasons, signals, the household for the visit and the timeline, after writing an access record', async () => {
    // Prepare
    const before = await accessRecords();

    // Act
    const page = await get(ME, `/meldingen/${alertIds.threeMonths}`);

    // Assess
    expect(page.status).toBe(200);
    expect(page.body).toContain('Er is een huurachterstand van 3 maanden.');
    expect(page.body).toContain('Voor het huisbezoek');
    expect(page.body).toContain('3511 AB');
    expect(page.body).toContain('12A');
    expect(page.body).toContain(HOUSEHOLDS.threeMonths.contact.phone);
    expect(page.body).toContain('Melding binnengekomen');
    const after = await accessRecords();
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatchObject({ municipalityCode: UTRECHT, team: DEBT_TEAM, memberId: ME.id, alertId: alertIds.threeMonths, view: 'alert', atMs: nowMs });
  });

  it('shows none of the personal data when the access record cannot be written (503)', async () => {
    // Prepare: the access log's table refuses the write.
    const unwritable = { ...deps, access: { record: () => Promise.reject(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' })), month: deps.access.month } };

    // Act
    const page = await get(ME, `/meldingen/${alertIds.threeMonths}`, unwritable);

    // Assess
    expect(page.status).toBe(503);
    expect(page.body).toContain('inzage niet kon worden vastgelegd');
    expect(personalIn(page.body)).toEqual([]);
  });

  it("answers another team's alert exactly as an unknown one: 404, no access record", async () => {
    // Prepare
    const before = (await accessRecords()).length;

    // Act
    const other = await get(ME, `/meldingen/${alertIds.summons}`);
    const unknownId = 'al_doesnotexist0000000000';
    const unknown = await get(ME, `/meldingen/${unknownId}`);
    const otherAction = await post(ME, `/meldingen/${alertIds.summons}/oppakken`, { 'actie-id': 'a0000000-0000-4000-8000-000000000001' });

    // Assess
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(other.body.replaceAll(alertIds.summons, 'ID')).toBe(unknown.body.replaceAll(unknownId, 'ID'));
    expect(otherAction.status).toBe(404);
    expect(personalIn(other.body)).toEqual([]);
    expect((await accessRecords()).length).toBe(before);
  });

  it("picks up: the partner's outcome is published, the page says what happened, and a second submit of the form is the same report", async () => {
    // Prepare
    const form = await get(ME, `/meldingen/${alertIds.threeMonths}`);
    const actionId = actionIdOf(form.body, alertIds.threeMonths, 'oppakken');
    published.length = 0;

    // Act
    const first = await post(ME, `/meldingen/${alertIds.threeMonths}/oppakken`, { 'actie-id': actionId });
    const again = await post(ME, `/meldingen/${alertIds.threeMonths}/oppakken`, { 'actie-id': actionId });
    await test.pipeline.settle();

    // Assess
    expect(first.status).toBe(303);
    expect(first.location).toBe(`/meldingen/${alertIds.threeMonths}?gedaan=picked-up&partners=picked-up`);
    expect(again.status).toBe(303);
    const outcomes = published.filter((e) => e['detail-type'] === 'SignalOutcome').map((e) => e.detail as { partnerId: string; outcome: string; eventId: string });
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o.partnerId === 'portaal' && o.outcome === 'picked-up' && o.eventId === actionId)).toBe(true);
    const shown = await get(ME, first.location!);
    expect(shown.body).toContain('U heeft de melding opgepakt.');
    expect(shown.body).toContain('horen dat een team het heeft opgepakt');
    expect(shown.body.match(/<td class="utrecht-table__cell">Opgepakt<\/td>/g)).toHaveLength(1);
    expect(shown.body).toMatch(/Opgepakt<\/td><td class="utrecht-table__cell">ik</);
    expect(await get(COLLEAGUE, `/meldingen/${alertIds.threeMonths}`).then((p) => p.body)).toMatch(/Opgepakt<\/td><td class="utrecht-table__cell">m-schuld-1</);
  });

  it('shows the inbox filter "mijn meldingen" with the alert the member picked up', async () => {
    expect(alertLinks((await get(ME, '/meldingen?mijn=1')).body)).toEqual([alertIds.threeMonths]);
    expect(alertLinks((await get(COLLEAGUE, '/meldingen?mijn=1')).body)).toEqual([]);
  });

  it('re-renders a rejected report with its reason in plain Dutch (422), and records nothing', async () => {
    // Prepare: this morning, a contact attempt said to be this evening.
    const form = await get(ME, `/meldingen/${alertIds.twoMonths}`);

    // Act
    const rejected = await post(ME, `/meldingen/${alertIds.twoMonths}/contactpoging`, {
      'actie-id': actionIdOf(form.body, alertIds.twoMonths, 'contactpoging'),
      soort: 'phone',
      bereikt: 'nee',
      datum: NOW.slice(0, 10),
      dagdeel: 'evening',
    });

    // Assess
    expect(rejected.status).toBe(422);
    expect(rejected.body).toContain('De actie is niet vastgelegd');
    expect(rejected.body).toContain('De datum en het dagdeel liggen in de toekomst.');
    expect(rejected.body).not.toContain('Contactpoging: telefoon');
  });

  it('logs a contact attempt that reached the household, and closes the case: the partner hears closed', async () => {
    // Prepare
    const id = alertIds.twoMonths;
    const page = await get(ME, `/meldingen/${id}`);
    published.length = 0;

    // Act
    const attempt = await post(ME, `/meldingen/${id}/contactpoging`, { 'actie-id': actionIdOf(page.body, id, 'contactpoging'), soort: 'home-visit', bereikt: 'ja', datum: NOW.slice(0, 10), dagdeel: 'morning' });
    const closed = await post(ME, `/meldingen/${id}/afsluiten`, { 'actie-id': actionIdOf(page.body, id, 'afsluiten'), resultaat: 'paid-or-arrangement' });
    await test.pipeline.settle();

    // Assess
    expect(attempt.location).toBe(`/meldingen/${id}?gedaan=reached&partners=nothing`);
    expect(closed.location).toBe(`/meldingen/${id}?gedaan=closed&partners=closed`);
    expect(published.filter((e) => e['detail-type'] === 'SignalOutcome').map((e) => (e.detail as { outcome: string }).outcome)).toEqual(['closed']);
    const after = await get(ME, closed.location!);
    expect(after.body).toContain('Contactpoging: huisbezoek, ochtend, bereikt');
    expect(after.body).toContain('Afgesloten: opgelost, zelf betaald of betalingsregeling');
    expect(after.body).toContain('Deze melding is beëindigd');
    expect(alertLinks((await get(ME, '/meldingen')).body)).not.toContain(id);
  });
});

describe('forwarding', () => {
  it("offers only the teams of the alert's municipality, and forwards: the receiving team is owed its alert, the partners hear nothing", async () => {
    // Prepare
    const id = alertIds.threeMonths;
    const page = await get(ME, `/meldingen/${id}`);
    const offered = [...page.body.slice(page.body.indexOf('id="door-team"')).split('</select>')[0]!.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    published.length = 0;

    // Act
    const forwarded = await post(ME, `/meldingen/${id}/doorsturen`, { 'actie-id': actionIdOf(page.body, id, 'doorsturen'), team: 'utrecht-buurtteam-binnenstad', reden: 'other-district' });
    await test.pipeline.settle();

    // Assess
    expect(offered).toContain('utrecht-buurtteam-binnenstad');
    expect(offered).toContain(test.policy.settings.unroutedTeam.id);
    expect(offered).not.toContain(DEBT_TEAM);
    expect(offered.filter((team) => team !== test.policy.settings.unroutedTeam.id && test.policy.team(team!)?.municipalityCode !== UTRECHT)).toEqual([]);
    expect(forwarded.location).toBe(`/meldingen/${id}?gedaan=forwarded&partners=nothing`);
    expect(published.map((e) => e['detail-type'])).toContain('DeliveryDue');
    expect(published.filter((e) => e['detail-type'] === 'SignalOutcome')).toEqual([]);
    const after = await get(ME, forwarded.location!);
    expect(after.body).toContain('Doorgestuurd naar Buurtteam Binnenstad (woont in een andere wijk)');
  });
});

describe('the coordinator and the privacy officer', () => {
  it("shows the coordinator the municipality's overdue alerts without an address, postcode or contact, and without links to them", async () => {
    // Prepare: five weeks on, the eviction team's alerts and the debt team's open one are overdue.
    nowMs = Date.parse(NOW) + 35 * DAY;
    try {
      // Act
      const page = await get(role('coordinator'), '/regie');

      // Assess
      expect(page.status).toBe(200);
      expect(page.body).toContain(alertIds.summons.slice(0, 9));
      expect(page.body).toContain('te laat');
      expect(page.body).not.toContain(alertIds.threeMonths.slice(0, 9));
      expect(personalIn(page.body)).toEqual([]);
      expect(alertLinks(page.body)).toEqual([]);
    } finally {
      nowMs = Date.parse(NOW);
    }
  });

  it('shows the privacy officer the access records of the month, and refuses the teams', async () => {
    // Act
    const log = await get(role('privacy-officer'), `/toegang?maand=${NOW.slice(0, 7)}`);
    const byTeam = await get(ME, '/toegang');

    // Assess
    expect(log.status).toBe(200);
    expect(log.body).toContain(ME.id);
    expect(log.body).toContain(alertIds.threeMonths);
    expect(byTeam.status).toBe(403);
    expect((await get(role('privacy-officer'), '/toegang?maand=juni')).status).toBe(400);
  });
});

describe('every page', () => {
  it('has a title without personal data, one h1, a skip link to main, and the language in html lang', async () => {
    // Act
    const pages = await Promise.all([
      get(ME, '/meldingen'),
      get(ME, `/meldingen/${alertIds.threeMonths}`),
      get(role('coordinator'), '/regie'),
      get(role('privacy-officer'), '/toegang'),
      get({ ...ME, locale: 'en' }, `/meldingen/${alertIds.threeMonths}`),
      get(role('municipality'), '/monitor'),
    ]);

    // Assess
    for (const page of pages) {
      expect(personalIn(titleOf(page.body))).toEqual([]);
      expect(titleOf(page.body)).not.toMatch(/\d{4} ?[A-Z]{2}/);
      expect(page.body.match(/<h1[ >]/g)).toHaveLength(1);
      expect(page.body).toContain('href="#inhoud"');
      expect(page.body).toContain('<main id="inhoud"');
    }
    expect(pages[4]!.body).toContain('<html lang="en">');
    expect(pages[4]!.body).toContain('For the visit only');
    expect(pages[5]!.status).toBe(200);
  });

  it('sends a member with one place there from the landing page, and switches the language by a cookie', async () => {
    // Act
    const landing = await get(ME, '/');
    const switched = await appFor(ME).request('/taal?naar=en&terug=/meldingen');
    const away = await get(ME, '/taal?naar=en&terug=//evil.example/');

    // Assess
    expect(landing).toMatchObject({ status: 303, location: '/meldingen' });
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/meldingen');
    expect(switched.headers.get('set-cookie')).toMatch(/vs-taal=en;.*HttpOnly/);
    expect(away.location).toBe('/');
    const english = await appFor(ME).request('/meldingen', { headers: { cookie: 'vs-taal=en' } });
    expect(await english.text()).toContain('<html lang="en">');
  });
});

describe('the stylesheet', () => {
  it('is current: npm run workspace:css would write the committed file', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'functions/workspace/static/build-css.ts', '--check']);
    expect(stdout).toContain('is current');
  });
});
