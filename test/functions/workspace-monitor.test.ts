/**
 * The municipality's monitor page and DDAS download, and the statistics office's pull
 * endpoint, over real HTTP on the workspace as `npm run serve` runs it: the stand-ins through
 * the real adapters, a member's session cookie, and access tokens of the client credentials
 * grant from the local OpenID provider. Only the municipality role reaches the monitor and the
 * download; every export writes an access record; every pulled page is a valid DDAS document.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoAccessLog } from '@vroegsignaal/adapters';
import { memberFromClaims, sessionCookieFor, type IdentitySettings, type Member } from '@vroegsignaal/functions';
import { DDAS_PULL_SCOPE, groupOfRole, type WorkspaceRole } from '@vroegsignaal/policy';
import { LOCAL_TABLE_NAME, startLocalWorkspace, type LocalWorkspace } from '@vroegsignaal/stand-ins';
import { arrears, home, NOW } from '../scenarios/entries.ts';
import { checkDdas } from '../support/ddas.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const UTRECHT = 'GM0344';
const DAY = 24 * 60 * 60 * 1000;
const POSTCODES = ['3511AB', '3521CD', '3531EF'];

let test: TestPipeline;
let workspace: LocalWorkspace;
let settings: IdentitySettings;
let access: DynamoAccessLog;
const nowMs = Date.parse(NOW);

const memberWith = (sub: string, role: WorkspaceRole): Member => memberFromClaims({ sub, 'cognito:groups': [groupOfRole(role)] })!;
const MUNICIPALITY = memberWith('gemeente-utrecht-1', { kind: 'municipality', municipalityCode: UTRECHT });
const TEAM_MEMBER = memberWith('schuld-1', { kind: 'team', team: 'utrecht-schuldhulp' });
const COORDINATOR = memberWith('regie-utrecht-1', { kind: 'coordinator', municipalityCode: UTRECHT });

beforeAll(async () => {
  test = await startTestPipeline({ now: NOW });
  const sessionKey = randomBytes(32);
  workspace = await startLocalWorkspace({ pipeline: test.pipeline, clock: () => nowMs, sessionKey });
  settings = { issuer: workspace.identity.issuer, clientId: workspace.identity.clientId, publicOrigin: workspace.url, sessionKey };
  access = new DynamoAccessLog(documentClient(test.pipeline.standIns.clients.dynamodb), LOCAL_TABLE_NAME);
  const observedAt = new Date(nowMs - DAY).toISOString();
  await test.send(
    ...POSTCODES.map((postcode, i) => arrears('portaal', { ...home(UTRECHT, `${postcode.slice(0, 4)} ${postcode.slice(4)}`, 10 + i), observedAt, months: 3, amountCents: 250_000 + i * 10_000 })),
  );
});

afterAll(async () => {
  await workspace?.stop();
  await test?.stop();
});

async function get(member: Member, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${workspace.url}${path}`, { headers: { cookie: await sessionCookieFor(member, settings, nowMs) }, redirect: 'manual' });
  return { status: response.status, body: await response.text() };
}

/** A form sent from the monitor page, with the session's CSRF token read from it. */
async function download(member: Member, form: Record<string, string>): Promise<Response> {
  const cookie = await sessionCookieFor(member, settings, nowMs);
  const page = await (await fetch(`${workspace.url}/`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return fetch(`${workspace.url}/monitor/ddas`, {
    method: 'POST',
    headers: { cookie, origin: workspace.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, ...form }),
    redirect: 'manual',
  });
}

async function accessToken(scope: string | undefined): Promise<string> {
  const client = workspace.identity.ddasClient;
  const response = await fetch(client.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function pull(token: string | undefined, body: unknown): Promise<Response> {
  return fetch(`${workspace.url}/gegevens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function exportRecords() {
  return (await access.month(UTRECHT, '2026-06')).filter((r) => r.view === 'ddas-export');
}

describe('the monitor page', () => {
  it("shows the municipality role its month's report with a month picker and the download form, and no address", async () => {
    const { status, body } = await get(MUNICIPALITY, '/monitor?maand=2026-06');
    expect(status).toBe(200);
    expect(body).toContain('<input class="utrecht-textbox utrecht-textbox--html-input" type="month" id="maand" name="maand" value="2026-06"');
    expect(body).toMatch(/class="monitor-block"/);
    expect(body).toContain('action="/monitor/ddas"');
    expect(body).toContain('aria-current="page">Monitor<');
    for (const postcode of POSTCODES) expect(body).not.toContain(postcode);
  });

  it('opens on the last whole month, and says so when the month asked is not one', async () => {
    expect((await get(MUNICIPALITY, '/monitor')).body).toContain('value="2026-05"');
    const bad = await get(MUNICIPALITY, '/monitor?maand=juni');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('role="alert"');
  });

  it('is no page for a team member or the coordinator, and neither is the download', async () => {
    for (const member of [TEAM_MEMBER, COORDINATOR]) {
      expect((await get(member, '/monitor?maand=2026-06')).status).toBe(403);
      expect((await download(member, { van: '2026-06-01', tot: '2026-06-30' })).status).toBe(403);
    }
    expect((await get(MUNICIPALITY, `/monitor?gemeente=GM0363`)).status).toBe(403);
  });
});

describe('the DDAS download', () => {
  it('is a valid DDAS document as an attachment, with the addresses, and an access record of the member and period', async () => {
    const before = (await exportRecords()).length;
    const response = await download(MUNICIPALITY, { van: '2026-06-01', tot: '2026-06-30' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="ddas-GM0344-2026-06-01-2026-06-30.json"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const document = (await response.json()) as { leveringen: { vroegsignalen: { client: { postcode: string } }[] }[] };
    expect(checkDdas(document)).toEqual({ ajv: [], zod: [] });
    const postcodes = document.leveringen[0]!.vroegsignalen.map((s) => s.client.postcode);
    expect(postcodes.sort()).toEqual(POSTCODES);

    // Every record of this test has the same (frozen) time: they are told apart by who and how.
    const records = await exportRecords();
    expect(records).toHaveLength(before + 1);
    expect(records.filter((r) => r.memberId === MUNICIPALITY.id)).toEqual([expect.objectContaining({ channel: 'download', from: '2026-06-01', to: '2026-06-30' })]);
  });

  it('refuses a period that runs backwards or over a year, with the page and no record', async () => {
    const before = (await exportRecords()).length;
    for (const period of [{ van: '2026-06-30', tot: '2026-06-01' }, { van: '2025-01-01', tot: '2026-06-30' }, { van: 'juni', tot: '2026-06-30' }]) {
      const response = await download(MUNICIPALITY, period);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('aria-invalid="true"');
    }
    expect(await exportRecords()).toHaveLength(before);
  });
});

describe('POST /gegevens', () => {
  const june = { aanleverperiodeStartdatum: '2026-06-01', aanleverperiodeEinddatum: '2026-06-30', aanleverende_organisatie: UTRECHT };

  it('asks for a bearer token (401) and refuses one without the pull scope (403), without a record', async () => {
    const before = (await exportRecords()).length;
    const none = await pull(undefined, june);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain(`scope="${DDAS_PULL_SCOPE}"`);
    expect((await pull('not.a.token', june)).status).toBe(401);
    const unscoped = await pull(await accessToken(undefined), june);
    expect(unscoped.status).toBe(403);
    expect(unscoped.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(await exportRecords()).toHaveLength(before);
  });

  it('gives a valid DDAS document in pages of the size asked, each a record of the client and period', async () => {
    const token = await accessToken(DDAS_PULL_SCOPE);
    const before = (await exportRecords()).length;
    const whole = await pull(token, june);
    expect(whole.status).toBe(200);
    const { gegevens, paginering } = (await whole.json()) as { gegevens: { leveringen: { vroegsignalen: { ID: string }[]; vroegsignaalzaken: { vroegsignalen: { ID: string }[] }[] }[] }; paginering: unknown };
    expect(checkDdas(gegevens)).toEqual({ ajv: [], zod: [] });
    expect(paginering).toEqual({ pagina: 1, paginagrootte: 50_000, aantalPaginas: 1, aantalVroegsignalen: 3 });

    const pages = [];
    for (const pagina of [1, 2, 3]) {
      const response = await pull(token, { ...june, pagina, paginagrootte: 1 });
      const body = (await response.json()) as { gegevens: typeof gegevens; paginering: { aantalPaginas: number } };
      expect(checkDdas(body.gegevens)).toEqual({ ajv: [], zod: [] });
      expect(body.paginering.aantalPaginas).toBe(3);
      pages.push(body.gegevens.leveringen[0]!);
    }
    expect(pages.flatMap((p) => p.vroegsignalen.map((s) => s.ID))).toEqual(gegevens.leveringen[0]!.vroegsignalen.map((s) => s.ID));
    for (const page of pages) expect(page.vroegsignaalzaken.flatMap((z) => z.vroegsignalen.map((s) => s.ID))).toEqual(page.vroegsignalen.map((s) => s.ID));

    const records = await exportRecords();
    expect(records).toHaveLength(before + 4);
    const pulls = records.filter((r) => r.memberId === workspace.identity.ddasClient.clientId);
    expect(pulls).toHaveLength(4);
    for (const pull of pulls) expect(pull).toMatchObject({ channel: 'pull', from: '2026-06-01', to: '2026-06-30' });
  });

  it('refuses more than 50,000 signals a page, an unknown organisation and a period backwards (400)', async () => {
    const token = await accessToken(DDAS_PULL_SCOPE);
    expect((await pull(token, { ...june, paginagrootte: 50_001 })).status).toBe(400);
    expect((await pull(token, { ...june, aanleverende_organisatie: 'GM9999' })).status).toBe(400);
    expect((await pull(token, { ...june, aanleverperiodeStartdatum: '2026-07-01' })).status).toBe(400);
  });
});
