/**
 * The municipality's monitor page in Chromium, on a small month of Utrecht's signals: logged in
 * through the local OpenID provider as the municipality role, the page passes axe-core (WCAG 2.2
 * AA) at 1280 and 320 px without sideways scrolling, the month picker moves the report, and the
 * download form saves the DDAS file instead of showing it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorkspace, type LocalWorkspace } from '@vroegsignaal/stand-ins';
import { arrears, home, NOW } from '../scenarios/entries.ts';
import { axeViolations, launchChromium, logInAtProvider } from '../support/browser.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const UTRECHT = 'GM0344';

let test: TestPipeline;
let workspace: LocalWorkspace;
let browser: Browser;

beforeAll(async () => {
  test = await startTestPipeline({ now: NOW });
  [workspace, browser] = await Promise.all([startLocalWorkspace({ pipeline: test.pipeline, clock: () => Date.parse(NOW) }), launchChromium()]);
  const observedAt = new Date(Date.parse(NOW) - 86_400_000).toISOString();
  await test.send(...[3, 5, 7].map((n) => arrears('portaal', { ...home(UTRECHT, '3511 AB', n), observedAt, months: 3, amountCents: 240_000 })));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await workspace?.stop();
  await test?.stop();
});

describe('the monitor page in a browser', () => {
  it('passes axe at 1280 and 320 px, picks a month, and downloads the DDAS file', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${workspace.url}/monitor`);
    await logInAtProvider(page, workspace.url, `municipality.${UTRECHT}`);
    expect(new URL(page.url()).pathname).toBe('/monitor');

    await page.locator('#maand').fill('2026-06');
    await page.getByRole('button', { name: 'Toon' }).click();
    await page.waitForURL((url) => url.searchParams.get('maand') === '2026-06');
    await expect(page.locator('h1').textContent()).resolves.toContain('juni 2026');
    expect(await axeViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 320, height: 800 });
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(320);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download DDAS-bestand' }).click()]);
    expect(download.suggestedFilename()).toBe(`ddas-${UTRECHT}-2026-06-01-2026-06-30.json`);
    await context.close();
  }, 60_000);
});
