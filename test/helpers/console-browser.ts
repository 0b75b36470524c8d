/**
 * The headless Chromium every console e2e suite drives: a persistent profile of its own, English
 * (UK) in Berlin so dates read the same on every machine, and a list of the page's script errors and
 * Content-Security-Policy violations, which each suite expects to stay empty. Refused API calls
 * (a wrong token, a delete without force) are logged by Chromium as failed 4xx loads and are expected.
 */
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { findChromium } from './chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleBrowser {
  browser: BrowserContext;
  page: Page;
  /** Script errors and CSP violations seen so far. */
  pageProblems: string[];
}

export const openConsoleBrowser = async (profileDir: string, options: { acceptDownloads?: boolean } = {}): Promise<ConsoleBrowser> => {
  const { executablePath } = await findChromium();
  const browser = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    acceptDownloads: options.acceptDownloads ?? false,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
  const pageProblems: string[] = [];
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) pageProblems.push(message.text());
  });
  return { browser, page, pageProblems };
};

/** Waits for a locator's text (whitespace collapsed) to match: the console updates asynchronously. */
export const expectText = async (locator: Locator, pattern: RegExp): Promise<void> => {
  const deadline = Date.now() + 15_000;
  let text = '';
  while (Date.now() < deadline) {
    text = ((await locator.first().textContent({ timeout: 5_000 }).catch(() => '')) ?? '').replace(/\s+/g, ' ');
    if (pattern.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Expected text matching ${pattern}, got "${text}"`);
};
