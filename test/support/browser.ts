/**
 * A real browser for the workspace's tests: Debian's Chromium driven by playwright-core, and
 * what the browser tests ask of a page: axe-core's WCAG 2.x A and AA findings, the focus moved
 * with Tab alone, and a login through the local OpenID provider's page.
 */
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { LOCAL_PASSWORD } from '@vroegsignaal/stand-ins';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Headless Chromium; the sandbox needs more than a root user in a container has. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}

/**
 * axe-core's WCAG 2.0, 2.1 and 2.2 A and AA violations on the page as it is now (axe tags WCAG
 * 2.2's rules wcag22aa only), as `rule: target` lines. The pages' CSP allows no script: the
 * page's context must be made with `bypassCSP: true`.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Whether `selector` is the element with the focus. */
export function hasFocus(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((element) => element === element.ownerDocument.activeElement);
}

/** Presses Tab until `selector` has the focus; fails after `limit` presses. */
export async function tabTo(page: Page, selector: string, limit = 40): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (await hasFocus(page, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} never got the focus in ${limit} presses of Tab`);
}

/**
 * Logs in as `username` on the provider's login page the browser is at (where any workspace page
 * sends it without a session), and waits until the provider has sent it back to the workspace.
 */
export async function logInAtProvider(page: Page, workspaceUrl: string, username: string): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(LOCAL_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL((url) => url.origin === new URL(workspaceUrl).origin);
}
