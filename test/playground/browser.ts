import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { ROOT } from '../helpers/build';

/** Debian's Chromium (`apt-get install -y chromium`); `npx playwright install` cannot download browsers here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A headless page on the playground, with what it logged as errors and a screenshot per step. */
export interface PlaygroundBrowser {
  page: Page;
  /** Console errors and uncaught exceptions of the page, in order. */
  errors: string[];
  /** Saves test-artifacts/playground/<name>.png. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens `url` in a fresh Chromium profile (Playwright passes --headless and the --user-data-dir). */
export async function openPage(url: string): Promise<PlaygroundBrowser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
  const artifacts = path.join(ROOT, 'test-artifacts', 'playground');
  fs.mkdirSync(artifacts, { recursive: true });
  await page.goto(url);
  return {
    page,
    errors,
    screenshot: async (name) => { await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true }); },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
