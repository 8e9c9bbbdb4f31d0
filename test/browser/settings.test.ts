/**
 * E-mail notices in a real browser (Debian's Chromium, driven by playwright-core) on the local
 * stack, with its mail server as the workspace's outbox: a member of Utrecht's eviction team
 * logs in (which registers them, opted out), switches notices on with the keyboard alone and
 * saves; an urgent alert for the team then reaches them by mail, which their settings list and
 * the local outbox shows. The team's coordinator opens the team's page. axe-core checks each page
 * (WCAG 2.2 AA) at 1280 and 320 px, without sideways scrolling. The settings page and the outbox
 * go to .data/screenshots/, and with UPDATE_SCREENSHOTS=1 (npm run screenshots) to
 * docs/screenshots/ for the README.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, workspaceTablePorts } from '@vroegsignaal/adapters';
import { LOCAL_TABLE_NAME, startLocalWorkspace, type LocalWorkspace } from '@vroegsignaal/stand-ins';
import { home, NOW, proceeding } from '../scenarios/entries.ts';
import { axeViolations, hasFocus, launchChromium, logInAtProvider, tabTo } from '../support/browser.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const UTRECHT = 'GM0344';
const TEAM = 'utrecht-voorkom-huisuitzetting';
const MEMBER = `${TEAM}.1`;
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 800 };
const SCREENSHOT_DIRS = ['.data/screenshots', ...(process.env.UPDATE_SCREENSHOTS === '1' ? ['docs/screenshots'] : [])];

let test: TestPipeline;
let workspace: LocalWorkspace;
let browser: Browser;

beforeAll(async () => {
  test = await startTestPipeline({ now: NOW });
  [workspace, browser] = await Promise.all([startLocalWorkspace({ pipeline: test.pipeline, clock: () => Date.parse(NOW), outbox: test.pipeline.mail }), launchChromium()]);
  test.pipeline.setWorkspaceOrigin(workspace.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await workspace?.stop();
  await test?.stop();
});

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

/** No axe-core violation at 1280 px, nor at 320 px, where the page must not scroll sideways. */
async function accessibleAtBothWidths(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize(NARROW);
  expect(await axeViolations(page)).toEqual([]);
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
  await page.setViewportSize(WIDE);
}

describe('e-mail notices in the browser', () => {
  it('a member switches notices on with the keyboard alone, gets the next urgent alert by mail, and sees it in their settings and the local outbox', async () => {
    const { context, page } = await person();
    try {
      await page.goto(`${workspace.url}/instellingen`);
      await logInAtProvider(page, workspace.url, MEMBER);
      expect(new URL(page.url()).pathname).toBe('/instellingen');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Instellingen');
      const optIn = page.getByRole('switch', { name: 'E-mailmeldingen ontvangen' });
      expect(await optIn.isChecked()).toBe(false);
      await accessibleAtBothWidths(page);

      // The switch and the save button, reached with Tab, used with Space and Enter.
      await tabTo(page, '#meldingen');
      await page.keyboard.press('Space');
      expect(await optIn.isChecked()).toBe(true);
      await tabTo(page, 'form[action="/instellingen"] button[type="submit"]');
      expect(await hasFocus(page, 'form[action="/instellingen"] button[type="submit"]')).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${workspace.url}/instellingen?gedaan=opgeslagen`);
      await expect(page.getByRole('status').textContent()).resolves.toBe('Uw instellingen zijn opgeslagen.');
      expect(await page.getByRole('switch', { name: 'E-mailmeldingen ontvangen' }).isChecked()).toBe(true);

      // An urgent alert for the team: a summons for a household with a child.
      const observedAt = new Date(Date.parse(NOW) - 86_400_000).toISOString();
      await test.send(proceeding('portaal', { ...home(UTRECHT, '3541 GH', 9), observedAt, stage: 'summons', stageDate: observedAt.slice(0, 10), minors: 1 }));
      await test.pipeline.settle();
      const mails = test.pipeline.mail.mailsTo(`${MEMBER}@vroegsignaal.local`);
      expect(mails.map((mail) => mail.subject)).toHaveLength(1);

      await page.reload();
      const rows = page.locator('table:has(#verstuurd-tabel) tbody tr');
      expect(await rows.count()).toBe(1);
      await expect(rows.first().textContent()).resolves.toContain('nieuwe urgente melding');
      await accessibleAtBothWidths(page);
      await screenshot(page, 'settings');

      await page.getByRole('link', { name: 'Uitgaande post' }).click();
      await page.waitForURL(`${workspace.url}/uitgaande-post`);
      await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toBe(mails[0]!.subject);
      await expect(page.locator('pre.vs-mail-text').first().textContent()).resolves.toBe(mails[0]!.text);
      await accessibleAtBothWidths(page);
      await screenshot(page, 'outbox');
      const alertLink = page.locator('article a[href*="/meldingen/al_"]').first();
      await alertLink.click();
      await page.waitForURL(new RegExp(`^${workspace.url}/meldingen/al_`));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Melding al_/);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("the team's coordinator sees the team's defaults and its members' mail", async () => {
    const members = workspaceTablePorts(documentClient(test.pipeline.standIns.clients.dynamodb), LOCAL_TABLE_NAME).members;
    const { context, page } = await person();
    try {
      await page.goto(`${workspace.url}/instellingen`);
      await logInAtProvider(page, workspace.url, `coordinator.${UTRECHT}`);
      await page.getByRole('link', { name: test.policy.team(TEAM)!.name, exact: true }).click();
      await page.waitForURL(`${workspace.url}/instellingen/team/${TEAM}`);
      const rows = await page.locator('table:has(#leden-tabel) tbody tr th').allTextContents();
      const registered = (await members.all()).members.filter((m) => m.teams.includes(TEAM)).map((m) => m.memberId);
      expect(rows).toEqual(registered.sort());
      expect(rows).toContain(MEMBER);
      await accessibleAtBothWidths(page);
    } finally {
      await context.close();
    }
  }, 60_000);
});
