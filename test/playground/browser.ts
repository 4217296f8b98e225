import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { ROOT } from '../helpers/build';
import { chromiumBinary } from '../helpers/chromium';

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
/** A laptop-sized window: the README's screenshots are taken at this size. */
const VIEWPORT = { width: 1100, height: 800 };
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'playground');
/** The README's screenshots; a run rewrites them only when asked to (DOCS_SCREENSHOTS=1), so that tests leave the tree clean. */
export const DOCS_SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
const updateDocs = process.env.DOCS_SCREENSHOTS === '1';

/** A headless page on the playground, with what it logged as errors and a screenshot per step. */
export interface PlaygroundBrowser {
  page: Page;
  /** Console errors and uncaught exceptions of the page, in order. */
  errors: string[];
  /** Saves test-artifacts/playground/<name>.png: the whole page. */
  screenshot(name: string): Promise<void>;
  /**
   * Saves test-artifacts/playground/docs/<name>.png, clipped to `element` (a message or a card),
   * and with DOCS_SCREENSHOTS=1 copies it to docs/screenshots/<name>.png for the README.
   */
  docScreenshot(name: string, element: Locator): Promise<void>;
  close(): Promise<void>;
}

/** Opens `url` in a fresh Chromium profile (Playwright passes --headless and the --user-data-dir). */
export async function openPage(url: string): Promise<PlaygroundBrowser> {
  const binary = chromiumBinary();
  if (!fs.existsSync(binary.executablePath)) throw new Error(`${binary.executablePath} (${binary.source}) is missing`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: binary.executablePath, env: { ...process.env, ...binary.env }, headless: true, args: FLAGS, viewport: VIEWPORT, deviceScaleFactor: 1,
    locale: 'en-US', timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
  fs.mkdirSync(path.join(ARTIFACTS, 'docs'), { recursive: true });
  if (updateDocs) fs.mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  await page.goto(url);
  return {
    page,
    errors,
    screenshot: async (name) => { await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true }); },
    docScreenshot: async (name, element) => {
      const file = path.join(ARTIFACTS, 'docs', `${name}.png`);
      // A card taller than the conversation pane would be clipped by it (or overlaid by the header):
      // the window grows for the shot, at the same width, so that the card's layout is the one people see.
      await page.setViewportSize({ ...VIEWPORT, height: 2000 });
      try {
        await element.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
      } finally {
        await page.setViewportSize(VIEWPORT);
      }
      if (updateDocs) fs.copyFileSync(file, path.join(DOCS_SCREENSHOTS, `${name}.png`));
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
