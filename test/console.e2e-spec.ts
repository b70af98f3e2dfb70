import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { SwitchboardClient } from '@switchboard/client';
import { SessionExpiryCron } from '@switchboard/sessions';
import { CONSOLE_ROOT } from '../apps/api/src/bootstrap';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = resolve('test-output');
const TIMEOUT_MS = 15_000;

/** A real headless Chromium, from the Debian package; `.ci/run` installs it, so on CI a missing one fails the run. */
describe.runIf(existsSync(CHROMIUM) || process.env.CI === 'true')('the web console at /console, in a real browser', () => {
  let t: TestApp;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    const { buildConsole } = (await import(resolve('apps/console/build.mjs'))) as { buildConsole: (outdir: string) => Promise<void> };
    await buildConsole(CONSOLE_ROOT);
    t = await createTestApp();
    await new SwitchboardClient({ baseUrl: await t.app.getUrl(), token: ADMIN_TOKEN }).rest.createAgent({ name: 'console-agent' });
    profile = mkdtempSync(join(tmpdir(), 'switchboard-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  it('signs in with a key, creates a session, chats, and shows the warning and then the expired state', async () => {
    const url = await t.app.getUrl();
    await page.goto(`${url}/console`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#who:has-text("api-key")');
    await page.waitForSelector('#agents li:has-text("console-agent")');

    await page.fill('#timeout', '5');
    await page.fill('#warning', '2');
    await page.fill('#max-duration', '10');
    await page.uncheck('#auto-renew');
    await page.click('#create-session button[type=submit]');
    await page.waitForSelector('#chat:not([hidden])');
    const sessionId = (await page.textContent('#current-session'))!;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await page.waitForSelector('#countdown:has-text("Expires in 4:5"), #countdown:has-text("Expires in 5:00")');

    await page.fill('#text', 'Hello from the browser');
    await page.click('#compose button[type=submit]');
    await page.waitForSelector('#messages li.agent:has-text("You said: Hello from the browser")');
    await page.waitForSelector('#messages li.user:has-text("Hello from the browser")');
    await page.waitForSelector('#messages li.agent:not(.streaming)');
    expect(await page.locator('#messages li.agent').count()).toBe(1);
    expect(await page.locator('#log li').count()).toBeGreaterThan(5);

    t.clock.advanceMinutes(3.5);
    await t.app.get(SessionExpiryCron).sweep();
    await page.waitForSelector('#warning-banner:not([hidden]):has-text("Expires in 2 min")');
    await page.waitForSelector('#countdown:has-text("Expires in 1:")');

    t.clock.advanceMinutes(2);
    await t.app.get(SessionExpiryCron).sweep();
    await page.waitForSelector('#expired-banner:not([hidden])');
    expect(await page.isDisabled('#text')).toBe(true);
    await page.waitForSelector('#countdown:has-text("Expired")');

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'console.png'), fullPage: true });

    expect(page.url()).not.toContain(ADMIN_TOKEN);
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('switchboard.console.token'))).toBe(ADMIN_TOKEN);
    expect(await page.evaluate(() => (globalThis as unknown as { localStorage: { length: number } }).localStorage.length)).toBe(0);
    expect(cspViolations).toEqual([]);
  });

  it('is served under the app\'s CSP, with no inline script', async () => {
    const response = await fetch(`${await t.app.getUrl()}/console/`);
    const html = await response.text();

    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
