/**
 * The e-mail notices' pages of the workspace through app.request, on the stand-ins (dynalite and
 * the local buses) through the real adapters: a member's own settings (opt-in, the kinds over
 * their team's default, digest time, language, mail status, the notices sent), a coordinator's
 * team defaults and members, and the local outbox fed by the real local mail server through the
 * SMTP mailer. A small middleware stands in for the login, as in workspace-pages.test.ts; the
 * CSRF guard is tested through the whole app with a real session cookie.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, EventBridgePublisher, SmtpMailer, workspaceTablePorts } from '@vroegsignaal/adapters';
import { NOTICE_KINDS, renderNotice, type SentNotice } from '@vroegsignaal/domain';
import { BUSES } from '@vroegsignaal/events';
import { createWorkspaceApp, registeredMember, sessionCookieFor, workspacePages, type Member, type WorkspaceDeps, type WorkspaceEnv } from '@vroegsignaal/functions';
import { LOCAL_TABLE_NAME, startLocalMailServer, type LocalMailServer } from '@vroegsignaal/stand-ins';
import { NOW } from '../scenarios/entries.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const MINUTE = 60_000;
const UTRECHT = 'GM0344';
const MAASTRICHT = 'GM0935';
const DEBT_TEAM = 'utrecht-schuldhulp';
const CSRF = 'csrf-of-the-test-session';
const ORIGIN = 'http://localhost:2';

const teamMember = (id: string, team = DEBT_TEAM, locale: Member['locale'] = 'nl'): Member => ({ id, roles: [{ kind: 'team', team }], locale });
const coordinatorOf = (id: string, municipalityCode: string): Member => ({ id, roles: [{ kind: 'coordinator', municipalityCode }], locale: 'nl' });
const COORDINATOR = coordinatorOf('coordinator-utrecht', UTRECHT);
const emailOf = (member: Member) => `${member.id}@gemeente.example`;

let test: TestPipeline;
let mailServer: LocalMailServer;
let nowMs = Date.parse(NOW);
let deps: WorkspaceDeps;

beforeAll(async () => {
  [test, mailServer] = await Promise.all([startTestPipeline({ now: NOW }), startLocalMailServer({ nowMs: () => nowMs })]);
  const db = documentClient(test.pipeline.standIns.clients.dynamodb);
  deps = {
    policy: () => test.policy,
    ...workspaceTablePorts(db, LOCAL_TABLE_NAME),
    publisher: new EventBridgePublisher(test.pipeline.busClient(), BUSES.pipeline),
    clock: () => nowMs,
    identity: { issuer: 'http://localhost:1', clientId: 'test', publicOrigin: ORIGIN, sessionKey: new Uint8Array(32) },
  };
});

afterAll(async () => {
  await mailServer?.stop();
  await test?.stop();
});

/** The member as their first login registers them. */
async function registered(member: Member): Promise<void> {
  await deps.members.put(registeredMember(undefined, member, emailOf(member), nowMs)!);
}

function appFor(member: Member, wiring: WorkspaceDeps): Hono<WorkspaceEnv> {
  const app = new Hono<WorkspaceEnv>();
  app.use(async (c, next) => {
    c.set('member', member);
    c.set('csrfToken', CSRF);
    await next();
  });
  app.route('/', workspacePages(wiring));
  return app;
}

async function get(member: Member, path: string, wiring = deps): Promise<{ status: number; body: string }> {
  const response = await appFor(member, wiring).request(path);
  return { status: response.status, body: await response.text() };
}

async function post(member: Member, path: string, fields: Record<string, string>): Promise<{ status: number; body: string; location: string | null }> {
  const response = await appFor(member, deps).request(path, { method: 'POST', body: new URLSearchParams({ csrf: CSRF, ...fields }) });
  return { status: response.status, body: await response.text(), location: response.headers.get('location') };
}

/** The input with that id, as rendered. */
const inputOf = (body: string, id: string) => new RegExp(`<input[^>]* id="${id}"[^>]*>`).exec(body)?.[0] ?? '';
const isChecked = (body: string, id: string) => / checked[ >]/.test(inputOf(body, id));
/** The hint a kind's checkbox shows. */
const hintOf = (body: string, id: string) => new RegExp(`id="${id}-hint">([^<]*)<`).exec(body)?.[1];
const selectedOf = (body: string, id: string) => {
  const select = new RegExp(`<select[^>]* id="${id}"[^>]*>(.*?)</select>`, 's').exec(body)?.[1] ?? '';
  return /<option value="([^"]*)" selected>/.exec(select)?.[1];
};
const settingsForm = (fields: Record<string, string>) => ({ tijd: '', taal: 'nl', ...fields });
const allKindsOn = Object.fromEntries(NOTICE_KINDS.map((kind) => [`soort-${kind}`, 'aan']));

describe('a member\'s own settings', () => {
  it('show a new member opted out, every kind at the team\'s default, the address mail goes to and what a mail never holds', async () => {
    // Prepare
    const member = teamMember('m-nieuw');
    await registered(member);

    // Act
    const page = await get(member, '/instellingen');

    // Assess
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Instellingen · Vroegsignaal</title>');
    expect(page.body).toContain(`<dd class="vs-break-anywhere">${emailOf(member)}</dd>`);
    expect(page.body).toContain('Er staat nooit een naam, adres, postcode, telefoonnummer, reden of kenmerk van het huishouden in');
    expect(inputOf(page.body, 'meldingen')).toContain('role="switch"');
    expect(isChecked(page.body, 'meldingen')).toBe(false);
    for (const kind of NOTICE_KINDS) {
      expect(isChecked(page.body, `soort-${kind}`), kind).toBe(true);
      expect(hintOf(page.body, `soort-${kind}`), kind).toBe('standaard van uw team: aan');
    }
    expect(selectedOf(page.body, 'tijd')).toBe('');
    expect(page.body).toContain('<option value="" selected>standaard van uw team (08:30)</option>');
    expect(page.body).toContain('U heeft nog geen e-mail van Vroegsignaal gekregen.');
    expect(page.body).toContain(`name="csrf" value="${CSRF}"`);
  });

  it('are saved and read back: opt-in, a kind changed from the default as their own choice, a kind left as shown following the team, time and language', async () => {
    // Prepare
    const member = teamMember('m-kiest');
    await registered(member);
    const { 'soort-escalation': _off, ...form } = allKindsOn;

    // Act
    const saved = await post(member, '/instellingen', settingsForm({ meldingen: 'aan', ...form, tijd: '09:00', taal: 'en' }));
    const page = await get(member, saved.location!);

    // Assess
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/instellingen?gedaan=opgeslagen');
    const record = (await deps.members.get(member.id))!;
    expect(record).toMatchObject({ optedIn: true, digestTime: '09:00', locale: 'en', mail: 'active', updatedAtMs: nowMs });
    expect(record.kinds).toEqual({ escalation: false });
    expect(page.body).toContain('role="status"><div class="utrecht-alert__content"><p class="utrecht-paragraph utrecht-alert__message">Uw instellingen zijn opgeslagen.');
    expect(isChecked(page.body, 'meldingen')).toBe(true);
    expect(isChecked(page.body, 'soort-escalation')).toBe(false);
    expect(isChecked(page.body, 'soort-digest')).toBe(true);
    expect(selectedOf(page.body, 'tijd')).toBe('09:00');
    expect(selectedOf(page.body, 'taal')).toBe('en');
  });

  it("follow the defaults the team's coordinator sets, for every kind the member did not choose", async () => {
    // Prepare
    const member = teamMember('m-volgt', 'utrecht-buurtteam-oost');
    await registered(member);
    await post(member, '/instellingen', settingsForm({ meldingen: 'aan', ...allKindsOn }));
    const coordinated = await post(COORDINATOR, '/instellingen/team/utrecht-buurtteam-oost', { ...allKindsOn, 'soort-digest': '', tijd: '07:45' });

    // Act
    const page = await get(member, '/instellingen');

    // Assess
    expect(coordinated.status).toBe(303);
    expect((await deps.members.get(member.id))!.kinds).toEqual({});
    expect(isChecked(page.body, 'soort-digest')).toBe(false);
    expect(hintOf(page.body, 'soort-digest')).toBe('standaard van uw team: uit');
    expect(hintOf(page.body, 'soort-urgent-alert')).toBe('standaard van uw team: aan');
    expect(page.body).toContain('<option value="" selected>standaard van uw team (07:45)</option>');
  });

  it('explain a bounced address, and saving switches mail on again', async () => {
    // Prepare
    const member = teamMember('m-bounce');
    await registered(member);
    expect(await deps.members.switchOff(member.id, 'bounced', nowMs - 60 * MINUTE)).toBe(true);

    // Act
    const before = await get(member, '/instellingen');
    const saved = await post(member, '/instellingen', settingsForm({ meldingen: 'aan', ...allKindsOn }));

    // Assess
    expect(before.body).toContain('Uw e-mailadres gaf op ');
    expect(before.body).toContain('een foutmelding. Daarom sturen we u geen e-mail meer. Sla uw instellingen op om het weer te proberen.');
    expect(before.body).toContain('uitgezet na een foutmelding');
    expect(saved.status).toBe(303);
    const record = (await deps.members.get(member.id))!;
    expect(record.mail).toBe('active');
    expect(record.mailOffAtMs).toBeUndefined();
    expect((await get(member, '/instellingen')).body).not.toContain('een foutmelding');
  });

  it('refuse a time not on the list or an unknown language with 422, and save nothing', async () => {
    // Prepare
    const member = teamMember('m-fout');
    await registered(member);
    const before = await deps.members.get(member.id);

    // Act
    const badTime = await post(member, '/instellingen', settingsForm({ meldingen: 'aan', tijd: '03:00' }));
    const badLanguage = await post(member, '/instellingen', settingsForm({ meldingen: 'aan', taal: 'de' }));

    // Assess
    expect([badTime.status, badLanguage.status]).toEqual([422, 422]);
    expect(badTime.body).toContain('role="alert"');
    expect(badTime.body).toContain('Kies een tijd uit de lijst en een taal. Er is niets opgeslagen.');
    expect(await deps.members.get(member.id)).toEqual(before);
  });

  it('go back to the team\'s default: own kinds and time cleared, the opt-in kept', async () => {
    // Prepare
    const member = teamMember('m-terug');
    await registered(member);
    await post(member, '/instellingen', settingsForm({ meldingen: 'aan', tijd: '10:15' }));
    expect((await deps.members.get(member.id))!.kinds).toEqual(Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, false])));

    // Act
    const reset = await post(member, '/instellingen/standaard', {});

    // Assess
    expect(reset.location).toBe('/instellingen?gedaan=standaard');
    const record = (await deps.members.get(member.id))!;
    expect(record).toMatchObject({ optedIn: true, kinds: {} });
    expect(record.digestTime).toBeUndefined();
  });

  it('list the last 10 notices sent, newest first, with the kind, team and a link to the alert', async () => {
    // Prepare
    const member = teamMember('m-post');
    await registered(member);
    const notices: SentNotice[] = Array.from({ length: 12 }, (_, i) => ({
      memberId: member.id,
      key: `notice#d-${i}#${member.id}`,
      kind: i % 2 === 0 ? 'urgent-alert' : 'overdue',
      team: DEBT_TEAM,
      alertId: `al_${String(i).padStart(6, '0')}xyz`,
      level: 'urgent',
      atMs: nowMs - (12 - i) * MINUTE,
      expiresAtMs: nowMs + 90 * 24 * 60 * MINUTE,
    }));
    for (const notice of notices) await deps.noticeLog.record(notice);

    // Act
    const page = await get(member, '/instellingen');

    // Assess
    const linked = [...page.body.matchAll(/<a class="utrecht-link" href="\/meldingen\/(al_\w+)">/g)].map((m) => m[1]);
    expect(linked).toEqual(notices.slice(2).reverse().map((n) => n.alertId));
    expect(page.body).toContain('De laatste 10 e-mails aan u, nieuwste eerst');
    expect(page.body).toContain('nieuwe urgente melding');
    expect(page.body).toContain('termijn verstreken');
    expect(page.body).toContain('Schuldhulp');
  });

  it('say so when the login gave no address, and offer no form', async () => {
    // Act
    const page = await get(teamMember('m-zonder-adres'), '/instellingen');

    // Assess
    expect(page.status).toBe(200);
    expect(page.body).toContain('Uw inlogaccount geeft geen e-mailadres door');
    expect(page.body).not.toContain('action="/instellingen"');
  });

  it('are in English for a member who reads the workspace in English', async () => {
    // Prepare
    const member = teamMember('m-english', DEBT_TEAM, 'en');
    await registered(member);

    // Act
    const page = await get(member, '/instellingen');

    // Assess
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('E-mail notices');
    expect(hintOf(page.body, 'soort-digest')).toBe('your team&#39;s default: on');
  });
});

describe("a coordinator's team page", () => {
  it("sets the team's defaults and shows its members' mail status, so a bounce can be acted on", async () => {
    // Prepare
    const bounced = teamMember('m-west-1', 'utrecht-buurtteam-west');
    const fine = teamMember('m-west-2', 'utrecht-buurtteam-west');
    await Promise.all([registered(bounced), registered(fine), registered(teamMember('m-elders', DEBT_TEAM))]);
    await deps.members.switchOff(bounced.id, 'bounced', nowMs - MINUTE);

    // Act
    const saved = await post(COORDINATOR, '/instellingen/team/utrecht-buurtteam-west', { 'soort-urgent-alert': 'aan', 'soort-overdue': 'aan', tijd: '08:00' });
    const page = await get(COORDINATOR, '/instellingen/team/utrecht-buurtteam-west?gedaan=opgeslagen');

    // Assess
    expect(saved.location).toBe('/instellingen/team/utrecht-buurtteam-west?gedaan=opgeslagen');
    expect(await deps.members.defaultsOf('utrecht-buurtteam-west')).toEqual({
      team: 'utrecht-buurtteam-west',
      kinds: { 'urgent-alert': true, assigned: false, overdue: true, escalation: false, digest: false },
      digestTime: '08:00',
      setBy: COORDINATOR.id,
      updatedAtMs: nowMs,
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('De standaard van het team is opgeslagen.');
    expect(isChecked(page.body, 'soort-urgent-alert')).toBe(true);
    expect(isChecked(page.body, 'soort-assigned')).toBe(false);
    expect(selectedOf(page.body, 'tijd')).toBe('08:00');
    const rows = [...page.body.matchAll(/<tr class="utrecht-table__row">\s*<th scope="row"[^>]*>([^<]*)<\/th>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>/g)].map((m) =>
      m.slice(1).join(' | '),
    );
    expect(rows).toEqual([`m-west-1 | ${emailOf(bounced)} | uit | uitgezet na een foutmelding`, `m-west-2 | ${emailOf(fine)} | uit | actief`]);
  });

  it('is not found for a team member, for another municipality\'s coordinator, and for a team that does not exist', async () => {
    // Act
    const statuses = await Promise.all([
      get(teamMember('m-schuld-1'), '/instellingen/team/utrecht-schuldhulp'),
      get(coordinatorOf('coordinator-maastricht', MAASTRICHT), '/instellingen/team/utrecht-schuldhulp'),
      get(COORDINATOR, '/instellingen/team/bestaat-niet'),
      post(teamMember('m-schuld-1'), '/instellingen/team/utrecht-schuldhulp', { ...allKindsOn, tijd: '08:00' }),
    ]);

    // Assess
    expect(statuses.map((s) => s.status)).toEqual([404, 404, 404, 404]);
    expect(await deps.members.defaultsOf('utrecht-schuldhulp')).toBeUndefined();
  });

  it("is linked from the coordinator's settings, one link per team of the municipality", async () => {
    // Act
    const page = await get(COORDINATOR, '/instellingen');

    // Assess
    const linked = [...page.body.matchAll(/href="\/instellingen\/team\/([^"]+)"/g)].map((m) => m[1]);
    expect(linked).toEqual(test.policy.teams().filter((t) => t.municipalityCode === UTRECHT).map((t) => t.id));
  });
});

describe('the guards', () => {
  it('refuse a settings form without the session\'s CSRF token, and change nothing', async () => {
    // Prepare
    const member = teamMember('m-csrf');
    await registered(member);
    const before = await deps.members.get(member.id);
    const app = createWorkspaceApp(deps);
    const cookie = await sessionCookieFor(member, deps.identity, nowMs);
    const send = (path: string, fields: Record<string, string>) => app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { cookie, origin: ORIGIN } });

    // Act
    const without = await send('/instellingen', settingsForm({ meldingen: 'aan' }));
    const forged = await send('/instellingen', settingsForm({ meldingen: 'aan', csrf: 'geraden' }));
    const reset = await send('/instellingen/standaard', {});

    // Assess
    expect([without.status, forged.status, reset.status]).toEqual([403, 403, 403]);
    expect(await deps.members.get(member.id)).toEqual(before);
  });

  it('link the settings for every role, and the outbox only where there is one', async () => {
    // Act
    const plain = await get({ id: 'privacy-utrecht', roles: [{ kind: 'privacy-officer', municipalityCode: UTRECHT }], locale: 'nl' }, '/toegang');
    const local = await get(teamMember('m-lokaal'), '/meldingen', { ...deps, outbox: mailServer });

    // Assess
    expect(plain.body).toContain('<a class="utrecht-link" href="/instellingen">Instellingen</a>');
    expect(plain.body).not.toContain('/uitgaande-post');
    expect(local.body).toContain('<a class="utrecht-link" href="/uitgaande-post">Uitgaande post</a>');
  });
});

describe('the local outbox', () => {
  it('is not found where there is no local mail server', async () => {
    const member = teamMember('m-geen-post');
    await registered(member);
    expect((await get(member, '/uitgaande-post')).status).toBe(404);
  });

  it("shows the mails the local mail server received for the member, newest first, with the text and the alert's link; no one else's", async () => {
    // Prepare
    const member = teamMember('m-lokaal-post');
    const other = teamMember('m-ander');
    await Promise.all([registered(member), registered(other)]);
    const record = (await deps.members.get(member.id))!;
    const mailer = new SmtpMailer({ host: mailServer.host, port: mailServer.port, from: 'Vroegsignaal <meldingen@vroegsignaal.local>' });
    const facts = { alertId: 'al_abc123xyz', level: 'urgent' as const, teamName: 'Schuldhulp', respondByMs: nowMs + 3 * 24 * 60 * MINUTE, raisedAtMs: nowMs - 60 * MINUTE };
    await mailer.send(renderNotice(record, { ...facts, kind: 'urgent-alert' }, ORIGIN, nowMs));
    nowMs += MINUTE;
    await mailer.send(renderNotice(record, { ...facts, kind: 'assigned' }, ORIGIN, nowMs));
    await mailer.send(renderNotice((await deps.members.get(other.id))!, { ...facts, alertId: 'al_other0xyz', kind: 'urgent-alert' }, ORIGIN, nowMs));

    // Act
    const page = await get(member, '/uitgaande-post', { ...deps, outbox: mailServer });

    // Assess
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1 class="utrecht-heading-1">Lokale uitgaande post (alleen op uw eigen machine)</h1>');
    const subjects = [...page.body.matchAll(/<h2 class="utrecht-heading-2" id="post-\d+">([^<]*)<\/h2>/g)].map((m) => m[1]);
    const received = mailServer.mailsTo(emailOf(member));
    expect(subjects).toEqual(received.map((mail) => mail.subject).reverse());
    expect(subjects).toHaveLength(2);
    expect(page.body).toContain('<pre class="vs-mail-text">');
    expect(page.body).toContain(`<a class="utrecht-link" href="${ORIGIN}/meldingen/al_abc123xyz">`);
    expect(page.body).not.toContain('al_other0xyz');
  });
});
