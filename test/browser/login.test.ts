/**
 * Logging in to the workspace in a real browser (Debian's Chromium, driven by playwright-core),
 * with the keyboard alone: from the workspace to the local OpenID provider's login page, a wrong
 * password, the right one, the team's inbox with its alert; then logging out, at the provider
 * too. axe-core checks every page on the way (WCAG 2.2 AA); it is injected into a context that
 * bypasses the pages' CSP, which allows no script at all.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_PASSWORD, startLocalWorkspace, type LocalWorkspace } from '@vroegsignaal/stand-ins';
import { arrears, home, NOW } from '../scenarios/entries.ts';
import { axeViolations, launchChromium, tabTo } from '../support/browser.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const DAY = 24 * 60 * 60 * 1000;

let test: TestPipeline;
let workspace: LocalWorkspace;
let browser: Browser;
let team: string;
let alertId: string;

beforeAll(async () => {
  test = await startTestPipeline({ now: NOW });
  const observedAt = new Date(Date.parse(NOW) - DAY).toISOString();
  const { messages } = await test.send(arrears('portaal', { ...home('GM0344', '3511 AB', 12), observedAt, months: 3, amountCents: 240_000 }));
  const alert = messages.find((m) => m.kind === 'alert');
  if (alert?.kind !== 'alert') throw new Error('the arrears raised no alert');
  ({ team, alertId } = alert);
  workspace = await startLocalWorkspace({ pipeline: test.pipeline, clock: () => Date.parse(NOW) });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await workspace?.stop();
  await test?.stop();
});

describe('logging in with the keyboard', () => {
  it('goes through the provider to the inbox, and out again at both', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    try {
      await page.goto(`${workspace.url}/meldingen`);
      expect(new URL(page.url()).origin).toBe(workspace.identity.issuer);
      await expect(page.title()).resolves.toBe('Inloggen – lokale inlogdienst');
      expect(await axeViolations(page)).toEqual([]);

      await tabTo(page, '#username');
      await page.keyboard.type(`${team}.1`);
      await page.keyboard.press('Tab');
      await page.keyboard.type('geraden');
      await page.keyboard.press('Enter');
      await page.waitForLoadState();
      await expect(page.getByRole('alert').textContent()).resolves.toBe('Gebruikersnaam of wachtwoord klopt niet.');
      expect(await axeViolations(page)).toEqual([]);

      await tabTo(page, '#password');
      await page.keyboard.type(LOCAL_PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${workspace.url}/meldingen`);
      await expect(page.locator(`a[href^="/meldingen/${alertId}"]`).count()).resolves.toBe(1);
      const cookie = (await context.cookies(workspace.url)).find((c) => c.name === '__Host-vs-session');
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });

      await tabTo(page, 'form[action="/auth/logout"] button');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.origin === workspace.identity.issuer);
      expect(await axeViolations(page)).toEqual([]);
      await tabTo(page, 'button[value="yes"]');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${workspace.url}/auth/logged-out`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('U bent uitgelogd');
      expect(await axeViolations(page)).toEqual([]);
      expect((await context.cookies(workspace.url)).map((c) => c.name)).not.toContain('__Host-vs-session');

      // The next one at this laptop is asked who they are.
      await page.goto(`${workspace.url}/meldingen`);
      expect(new URL(page.url()).origin).toBe(workspace.identity.issuer);
    } finally {
      await context.close();
    }
  });
});
