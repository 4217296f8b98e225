import fs from 'node:fs';
import path from 'node:path';
import type { AdaptiveCardJson } from '../../src/render/cardRenderer';
import { openPage, type PlaygroundBrowser } from '../playground/browser';

/** A text of a rendered card as the browser paints it. */
export interface PaintedText {
  text: string;
  /** Its computed colour. */
  color: string;
  /** The computed background colours from its element outwards to the page. */
  backgrounds: string[];
  /** The renderer's required mark ("*") after an input's label, coloured by the host config, not the card. */
  requiredMark: boolean;
}

/** Chromium with Microsoft's Adaptive Cards renderer loaded, rendering cards side by side under a host config. */
export interface CardStage {
  /** Renders `cards` under `hostConfig` (replacing what the stage showed) and reads every text. */
  render(cards: AdaptiveCardJson[], hostConfig: unknown): Promise<PaintedText[]>;
  /** The colour of the page around the cards, as a theme's chat pane shows it. */
  setPane(color: string): Promise<void>;
  /** test-artifacts/playground/docs/<name>.png of the stage (DOCS_SCREENSHOTS=1: also docs/screenshots/). */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

// The test browser has no emoji font, so ✅ ❌ ⚠️ would be blanks: the page gets Noto Emoji (outlines; the colour
// font's glyphs stay blank in headless Chromium), served from node_modules through Playwright's routing (the URL
// is on loopback and never reached).
const EMOJI = path.dirname(require.resolve('@fontsource/noto-emoji/package.json'));
const FONT_URL = 'http://127.0.0.1:9/noto-emoji/';
const EMOJI_FAMILY = "'Noto Emoji'";

type Fonts = { fontFamily?: string; fontTypes?: Record<string, { fontFamily?: string }> };

/** The host config with the emoji font as the last fallback of each font list; nothing else (colours least of all) changes. */
function withEmojiFont(hostConfig: unknown): unknown {
  const config = structuredClone(hostConfig) as Fonts;
  const fallback = (family?: string) => `${family ?? 'sans-serif'}, ${EMOJI_FAMILY}`;
  config.fontFamily = fallback(config.fontFamily);
  for (const type of Object.values(config.fontTypes ?? {})) type.fontFamily = fallback(type.fontFamily);
  return config;
}

/** Opens the stage: a blank page with the renderer and the emoji font. */
export async function openCardStage(): Promise<CardStage> {
  const browser: PlaygroundBrowser = await openPage('about:blank');
  const { page } = browser;
  await page.route(`${FONT_URL}**`, (route) => route.fulfill({ path: path.join(EMOJI, 'files', path.basename(new URL(route.request().url()).pathname)) }));
  await page.setContent('<!doctype html><html><body style="margin:0"><div id="stage" style="display:flex;gap:12px;align-items:flex-start;padding:12px;width:max-content"></div></body></html>');
  // The font also covers # * 0-9 (keycap bases): left out, they stay the text's own font.
  const css = fs.readFileSync(path.join(EMOJI, '400.css'), 'utf8').replaceAll('url(./files/', `url(${FONT_URL}`).replaceAll('U+23,U+2a,U+30-39,', '');
  await page.addStyleTag({ content: css });
  await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
  return {
    render: (cards, hostConfig) => page.evaluate(([cards, config]) => {
      type Card = { hostConfig: unknown; parse(json: unknown): void; render(): HTMLElement };
      const AC = (window as unknown as { AdaptiveCards: { AdaptiveCard: new () => Card; HostConfig: new (c: unknown) => unknown } }).AdaptiveCards;
      const stage = document.getElementById('stage') as HTMLElement;
      stage.replaceChildren(...cards.map((json) => {
        const card = new AC.AdaptiveCard();
        card.hostConfig = new AC.HostConfig(config);
        card.parse(json);
        const shown = card.render();
        shown.style.width = '340px';
        return shown;
      }));
      return Array.from(stage.querySelectorAll('.ac-textBlock, .ac-textRun')).filter((el) => el.textContent?.trim()).map((el) => {
        const backgrounds: string[] = [];
        for (let e: Element | null = el; e; e = e.parentElement) backgrounds.push(getComputedStyle(e).backgroundColor);
        const requiredMark = el.matches('label.ac-richTextBlock > .ac-textRun') && el.previousElementSibling !== null;
        return { text: (el.textContent ?? '').trim().slice(0, 70), color: getComputedStyle(el).color, backgrounds, requiredMark };
      });
    }, [cards, withEmojiFont(hostConfig)] as const),
    setPane: async (color) => { await page.evaluate((c) => { document.body.style.background = c; }, color); },
    screenshot: async (name) => {
      // A font with a unicode-range loads when a glyph first needs it, and hides the text until then.
      await page.evaluate(async (family) => { await document.fonts.load(`14px ${family}`, '✅❌⚠️ℹ️⏸️▶️⏹️'); await document.fonts.ready; }, EMOJI_FAMILY);
      await browser.docScreenshot(name, page.locator('#stage'));
    },
    close: () => browser.close(),
  };
}
