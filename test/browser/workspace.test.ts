/**
 * The team workspace in a real browser (Debian's Chromium, driven by playwright-core) on the
 * local stack as `npm run serve -- --feed events/samples/feed.ndjson` leaves it: a member of
 * Utrecht's debt-help team works the most pressing alert of the inbox, and the partners hear of
 * it; a member of another team cannot open it; Maastricht's coordinator sees the unattended
 * urgent alert without its address; the privacy officer sees the views; the main flow with the
 * keyboard alone; logging out leaves nothing. axe-core checks every page (WCAG 2.2 AA), also at
 * 320 px. The test's screenshots of the main pages go to .data/screenshots/, and with
 * UPDATE_SCREENSHOTS=1 (npm run screenshots) to docs/screenshots/ for the README.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoAlertIndex, DynamoHouseholdStore, DynamoTeamInbox, readPartnerRecords } from '@vroegsignaal/adapters';
import { contactsOf, coordinatorView, inboxView, type AlertIndexRecord, type HouseholdState } from '@vroegsignaal/domain';
import { LOCAL_TABLE_NAME } from '@vroegsignaal/stand-ins';
import { axeViolations, hasFocus, launchChromium, logInAtProvider, tabTo } from '../support/browser.ts';
import { startSampleWorkspace, type SampleWorkspace } from '../support/sample-workspace.ts';

/** A team of Utrecht with a full inbox, another team of the same municipality, and the municipality whose policy escalates overdue alerts. */
const TEAM = 'utrecht-schuldhulp';
const OTHER_TEAM = 'utrecht-buurtteam-west';
const ESCALATING = 'GM0935';
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 800 };
const SCREENSHOT_DIRS = ['.data/screenshots', ...(process.env.UPDATE_SCREENSHOTS === '1' ? ['docs/screenshots'] : [])];

let stack: SampleWorkspace;
let browser: Browser;
let url: string;
let db: ReturnType<typeof documentClient>;
let alerts: DynamoAlertIndex;
let households: DynamoHouseholdStore;
let inbox: DynamoTeamInbox;
/** The most pressing of the team's open alerts when the test starts, and its household. */
let worked: AlertIndexRecord;
let workedHousehold: HouseholdState;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startSampleWorkspace(), launchChromium()]);
  url = stack.workspace.url;
  db = documentClient(stack.pipeline.standIns.clients.dynamodb);
  alerts = new DynamoAlertIndex(db, LOCAL_TABLE_NAME);
  households = new DynamoHouseholdStore(db, LOCAL_TABLE_NAME);
  inbox = new DynamoTeamInbox(db, LOCAL_TABLE_NAME);
  const first = inboxView(await inbox.openAlerts(TEAM), {}, stack.pipeline.now()).rows[0];
  if (!first) throw new Error(`the sample feed leaves ${TEAM} no open alert`);
  worked = (await alerts.get(first.alertId))!;
  workedHousehold = (await households.get(worked.householdRef))!;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A context of its own per person, as two people on two (Dutch) laptops; with axe allowed past the CSP. */
async function person(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ bypassCSP: true, viewport: WIDE, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  return { context, page: await context.newPage() };
}

async function screenshot(page: Page, name: string): Promise<void> {
  for (const dir of SCREENSHOT_DIRS) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  }
}

/** Each of the alert's signals' later outcomes, as the partner CLI reads them (`partner/signalId: outcome, ...`). */
async function partnerOutcomes(alert: AlertIndexRecord): Promise<string[]> {
  await stack.pipeline.settle();
  return Promise.all(
    alert.signals.map(async ({ partnerId, signalId }) => {
      const { claim } = (await readPartnerRecords(db, LOCAL_TABLE_NAME, partnerId, [signalId])).get(signalId)!;
      return `${partnerId}/${signalId}: ${(claim?.laterOutcomes ?? []).map((later) => later.outcome).join(', ')}`;
    }),
  );
}

const postcodeForms = (state: HouseholdState) => [state.address.postcode, `${state.address.postcode.slice(0, 4)} ${state.address.postcode.slice(4)}`];

/** How wide the page is laid out: wider than the window means scrolling sideways. */
function pageWidth(page: Page): Promise<number> {
  return page.locator('html').evaluate((html) => html.scrollWidth);
}

/** The notice an action leaves at the top of the alert page: what was done, what the partners are told. */
function notice(page: Page): Promise<string[]> {
  return page.getByRole('status').locator('p').allTextContents();
}

describe('a team member in the workspace', () => {
  it('works the most pressing alert of the inbox: opens it with its address, picks it up, logs an attempt and closes it, and the partners hear so', async () => {
    const { context, page } = await person();
    try {
      await page.goto(`${url}/meldingen`);
      expect(new URL(page.url()).origin).toBe(stack.workspace.identity.issuer);
      await expect(page.title()).resolves.toBe('Inloggen – lokale inlogdienst');
      expect(await axeViolations(page)).toEqual([]);
      await logInAtProvider(page, url, `${TEAM}.1`);

      // The team's open alerts, most pressing first; no other team's.
      expect(page.url()).toBe(`${url}/meldingen`);
      const rows = page.locator('table:has(#meldingen-tabel) tbody tr');
      const open = await inbox.openAlerts(TEAM);
      expect(await rows.count()).toBe(Math.min(open.length, 25));
      const linked = await rows.locator('th a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(new Set(linked)).toEqual(new Set(inboxView(open, {}, stack.pipeline.now()).rows.map((row) => `/meldingen/${row.alertId}`)));
      expect(linked[0]).toBe(`/meldingen/${worked.alertId}`);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'inbox');
      await page.setViewportSize(NARROW);
      expect(await axeViolations(page)).toEqual([]);
      expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
      await page.setViewportSize(WIDE);

      // Filtered with the form: a level and only the overdue ones; then the filters cleared.
      await page.getByLabel('Niveau').selectOption('signal');
      await page.getByLabel('Alleen te laat').check();
      await page.getByRole('button', { name: 'Filteren' }).click();
      await page.waitForURL((next) => next.searchParams.get('niveau') === 'signal' && next.searchParams.get('telaat') === '1');
      expect(await rows.count()).toBe(inboxView(open, { levels: ['signal'], overdueOnly: true }, stack.pipeline.now()).rows.length);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Filters wissen' }).click();
      await page.waitForURL(`${url}/meldingen`);

      // The alert, with the address for the visit.
      await page.locator(`a[href="/meldingen/${worked.alertId}"]`).click();
      await page.waitForURL(`${url}/meldingen/${worked.alertId}`);
      await expect(page.locator('section.vs-visit').textContent()).resolves.toContain(postcodeForms(workedHousehold)[1]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await partnerOutcomes(worked)).toEqual(worked.signals.map((s) => `${s.partnerId}/${s.signalId}: `));

      await page.getByRole('button', { name: 'Oppakken', exact: true }).click();
      await page.waitForURL(/gedaan=picked-up/);
      await expect(notice(page)).resolves.toEqual(['U heeft de melding opgepakt.', 'De partners die het signaal gaven, horen dat een team het heeft opgepakt (niet wie).']);
      expect(await partnerOutcomes(worked)).toEqual(worked.signals.map((s) => `${s.partnerId}/${s.signalId}: picked-up`));
      await screenshot(page, 'alert');
      await page.setViewportSize(NARROW);
      expect(await axeViolations(page)).toEqual([]);
      expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
      await page.setViewportSize(WIDE);

      await page.getByLabel('Soort').selectOption('phone');
      await page.getByLabel('nee', { exact: true }).check();
      await page.getByRole('button', { name: 'Contactpoging vastleggen', exact: true }).click();
      await page.waitForURL(/gedaan=attempt/);
      await expect(notice(page)).resolves.toEqual(['De contactpoging is vastgelegd.', 'De partners krijgen hiervan geen bericht.']);
      await expect(page.locator('table:has(#verloop-tabel)').textContent()).resolves.toContain('Contactpoging: telefoon, ochtend, niet bereikt');

      await page.getByLabel('Resultaat').selectOption('referred-financial');
      await page.getByRole('button', { name: 'Afsluiten', exact: true }).click();
      await page.waitForURL(/gedaan=closed/);
      await expect(notice(page)).resolves.toEqual(['De melding is afgesloten.', 'De partners horen dat de casus is afgesloten (niet het resultaat).']);
      await expect(page.locator('table:has(#verloop-tabel)').textContent()).resolves.toContain('Afgesloten: doorverwezen, vervolghulp of verwijzing (financieel)');
      await expect(page.getByText('Deze melding is beëindigd; er zijn geen acties meer.').count()).resolves.toBe(1);
      expect(await partnerOutcomes(worked)).toEqual(worked.signals.map((s) => `${s.partnerId}/${s.signalId}: picked-up, closed`));

      await page.goto(`${url}/meldingen`);
      await expect(page.locator(`a[href="/meldingen/${worked.alertId}"]`).count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("of another team gets 404 for that alert's URL, without anything of the alert, and 403 for the coordinator's page", async () => {
    const { context, page } = await person();
    try {
      await page.goto(url);
      await logInAtProvider(page, url, `${OTHER_TEAM}.1`);
      const response = await page.goto(`${url}/meldingen/${worked.alertId}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Niet gevonden');
      const text = await page.locator('body').textContent();
      for (const value of [...postcodeForms(workedHousehold), worked.alertId.slice(0, 9)]) expect(text).not.toContain(value);
      expect(await axeViolations(page)).toEqual([]);

      expect((await page.goto(`${url}/regie`))?.status()).toBe(403);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Geen toegang');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('the municipal roles', () => {
  it("Maastricht's coordinator sees the unattended urgent alert overdue and escalated, without its address or contacts", async () => {
    const teams = stack.pipeline.policy.teams().filter((team) => team.municipalityCode === ESCALATING);
    const shown = coordinatorView((await Promise.all(teams.map((team) => inbox.openAlerts(team.id)))).flat(), stack.pipeline.now());
    const overdue = shown.find((row) => row.level === 'urgent' && row.escalatedAtMs !== undefined);
    if (!overdue) throw new Error(`the sample feed leaves ${ESCALATING} no escalated urgent alert`);
    const household = (await households.get((await alerts.get(overdue.alertId))!.householdRef))!;
    const contacts = contactsOf(household);
    expect(contacts.length).toBeGreaterThan(0);
    const personal = [...postcodeForms(household), ...contacts.flatMap((c) => [c.name, c.phone, c.email].filter((v): v is string => v !== undefined))];

    const { context, page } = await person();
    try {
      await page.goto(url);
      await logInAtProvider(page, url, `coordinator.${ESCALATING}`);
      expect(page.url()).toBe(`${url}/regie`);
      const row = page.locator('tbody tr', { has: page.locator(`th:text-is("${overdue.alertId.slice(0, 9)}")`) });
      const cells = await row.locator('td').allInnerTexts();
      expect(cells.slice(0, 3)).toEqual([stack.pipeline.policy.team(overdue.team)!.name, 'urgent', 'nieuw']);
      expect(cells[3]).toMatch(/te laat/);
      const html = await page.content();
      for (const value of personal) expect(html).not.toContain(value);
      await expect(page.locator(`a[href*="${overdue.alertId}"]`).count()).resolves.toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'coordinator');
    } finally {
      await context.close();
    }
  });

  it("Utrecht's privacy officer sees the views of the alert worked above in the access log", async () => {
    const { context, page } = await person();
    try {
      await page.goto(url);
      await logInAtProvider(page, url, 'privacy-officer.GM0344');
      expect(page.url()).toBe(`${url}/toegang`);
      const rows = await page.locator('tbody tr').allInnerTexts();
      expect(rows.some((row) => row.includes(`${TEAM}.1`) && row.includes(worked.alertId))).toBe(true);
      // The other team's 404 showed nothing, so it was no view.
      expect(rows.filter((row) => row.includes(`${OTHER_TEAM}.1`))).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('the keyboard alone', () => {
  it('skips to the content, opens the most pressing alert, picks it up, logs an attempt, and logs out, after which the inbox asks for a login', async () => {
    const { context, page } = await person();
    try {
      await page.goto(`${url}/meldingen`);
      await logInAtProvider(page, url, `${TEAM}.2`);
      const first = await page.locator('tbody tr th a').first().getAttribute('href');

      // The skip link is the first stop, visible once focused, and moves the focus to the content.
      await page.keyboard.press('Tab');
      const skip = page.locator('a.utrecht-skip-link');
      expect(await hasFocus(page, 'a.utrecht-skip-link')).toBe(true);
      expect(await skip.isVisible()).toBe(true);
      await page.keyboard.press('Enter');
      expect(await hasFocus(page, 'main#inhoud')).toBe(true);

      // Through the filters to the first alert's link, whose focus shows.
      await tabTo(page, `tbody tr th a[href="${first}"]`);
      const ring = await page.locator(':focus').evaluate((element) => {
        const style = element.ownerDocument.defaultView!.getComputedStyle(element);
        return { focusVisible: element.matches(':focus-visible'), outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
      expect(ring).toEqual({ focusVisible: true, outline: 'solid 3px' });
      await page.keyboard.press('Enter');
      await page.waitForURL(`${url}${first}`);

      await tabTo(page, 'form[action$="/oppakken"] button');
      await page.keyboard.press('Space');
      await page.waitForURL(/gedaan=picked-up/);
      await expect(notice(page)).resolves.toContain('U heeft de melding opgepakt.');

      // The attempt form: a choice with the arrow keys, a radio button with Space and then the arrow keys, sent with Enter.
      await tabTo(page, '#poging-soort');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#poging-soort').inputValue()).toBe('card');
      await page.keyboard.press('Tab');
      expect(await hasFocus(page, '#poging-bereikt-ja')).toBe(true);
      await page.keyboard.press('Space');
      expect(await page.locator('#poging-bereikt-ja').isChecked()).toBe(true);
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#poging-bereikt-nee').isChecked()).toBe(true);
      await tabTo(page, 'form[action$="/contactpoging"] button');
      await page.keyboard.press('Enter');
      await page.waitForURL(/gedaan=attempt/);
      await expect(page.locator('table:has(#verloop-tabel)').textContent()).resolves.toContain('Contactpoging: kaartje, ochtend, niet bereikt');

      // Logging out, at the provider too; then this laptop shows nothing of the team's.
      await tabTo(page, 'form[action="/auth/logout"] button');
      await page.keyboard.press('Enter');
      await page.waitForURL((next) => next.origin === stack.workspace.identity.issuer);
      await tabTo(page, 'button[value="yes"]');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${url}/auth/logged-out`);
      // Back through the history: the pages come anew, from a workspace that asks who this is.
      const household = (await households.get((await alerts.get(first!.slice('/meldingen/'.length)))!.householdRef))!;
      for (let step = 0; step < 2; step++) {
        await page.goBack();
        const html = await page.content();
        for (const postcode of postcodeForms(household)) expect(html).not.toContain(postcode);
      }
      await expect(page.locator('#username').count()).resolves.toBe(1);
      for (const path of ['/meldingen', first!]) {
        await page.goto(`${url}${path}`);
        expect(new URL(page.url()).origin).toBe(stack.workspace.identity.issuer);
        await expect(page.locator('#username').count()).resolves.toBe(1);
      }
    } finally {
      await context.close();
    }
  }, 60_000);
});
