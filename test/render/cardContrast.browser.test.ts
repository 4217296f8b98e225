import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build';
import { openCardStage, type CardStage } from '../helpers/cardStage';
import { contrastRatio, WCAG_AA_TEXT, WCAG_NON_TEXT } from '../helpers/contrast';
import { colourSamples } from './colourSamples';

// Every card template, in every state that picks a colour, rendered by Microsoft's Adaptive Cards renderer in
// Chromium under Teams' light, dark and high-contrast host configs (test/render/fixtures/hostConfigs/, with
// where each comes from), and under the dev playground's own (dev/playground/page/hostConfig.json), which
// people look at before any Teams. Every text is measured where a person reads it: its computed colour over the computed
// backgrounds behind it, so the renderer, not this test, decides which container style a text inherits. The
// worst pair of each theme goes to test-artifacts/playground/contrast.txt; pictures of the run cards in each
// theme to test-artifacts/playground/docs/ (DOCS_SCREENSHOTS=1 also rewrites docs/screenshots/theme-*.png).
const THEMES = ['light', 'dark', 'high-contrast', 'playground'] as const;
type Theme = (typeof THEMES)[number];
/** What a theme's chat pane shows around a card (the card paints its own background from the host config; the playground's frame is white, playground.css). */
const PANE: Record<Theme, string> = { light: '#f5f5f5', dark: '#1f1f1f', 'high-contrast': '#000000', playground: '#ffffff' };
/** The cards the docs show in each theme: the run cards, whose headline the outcome used to colour. */
const SHOWN = [['runResult', 'finished with errors'], ['runAlert', 'succeeded'], ['runAlert', 'failed']];
const SAMPLES = colourSamples();
/** The worst pair of each theme, for people to read. */
const FIGURES = path.join(ROOT, 'test-artifacts', 'playground', 'contrast.txt');

interface Measured { card: string; text: string; ratio: number; requiredMark: boolean }

const hostConfig = (theme: Theme): unknown => JSON.parse(fs.readFileSync(theme === 'playground'
  ? path.join(ROOT, 'dev', 'playground', 'page', 'hostConfig.json')
  : path.join(__dirname, 'fixtures', 'hostConfigs', `microsoft-teams-${theme}.json`), 'utf8'));
const shown = (m?: Measured) => (m ? `${m.ratio.toFixed(2)}:1 "${m.text}" in ${m.card}` : 'none');

describe('cards in Teams light, dark and high-contrast themes, and in the playground', () => {
  let stage: CardStage;

  beforeAll(async () => {
    stage = await openCardStage();
    fs.mkdirSync(path.dirname(FIGURES), { recursive: true });
    fs.writeFileSync(FIGURES, '');
  }, 60_000);
  afterAll(async () => {
    await stage?.close();
  });

  test.each(THEMES)('every text of every card reads in %s with a contrast of 4.5:1 or more', async (theme) => {
    const config = hostConfig(theme);
    await stage.setPane(PANE[theme]);
    const measured: Measured[] = [];
    for (const [name, variant, json] of SAMPLES) {
      for (const t of await stage.render([json], config)) {
        measured.push({ card: `${name} (${variant})`, text: t.text, requiredMark: t.requiredMark, ratio: contrastRatio(t.color, t.backgrounds, PANE[theme]) });
      }
    }
    const worst = (marks: boolean) => measured.filter((m) => m.requiredMark === marks).sort((a, b) => a.ratio - b.ratio)[0];
    fs.appendFileSync(FIGURES, `${theme}: ${measured.length} texts, worst ${shown(worst(false))}; required marks: worst ${shown(worst(true))}\n`);

    const pictured = SHOWN.flatMap(([name, variant]) => SAMPLES.filter(([n, v]) => n === name && v === variant).map(([, , json]) => json));
    expect(pictured).toHaveLength(SHOWN.length);
    await stage.render(pictured, config);
    await stage.screenshot(`theme-${theme}`);

    // The headline the issue saw in yellow on white is among the measured texts: the test reads what people read.
    expect(measured.some((m) => m.card === 'runResult (warning)' && m.text.includes('finished with errors'))).toBe(true);
    expect(measured.length).toBeGreaterThan(400);
    const under = (least: number, marks: boolean) => measured.filter((m) => m.requiredMark === marks && m.ratio < least).map(shown);
    expect(under(WCAG_AA_TEXT, false)).toEqual([]);
    // The required mark's colour is the host's, not the card's (Teams' host configs set no inputs.label, so the
    // renderer's default "attention" applies): it is held to WCAG's 3:1 for a marker rather than text to read.
    expect(under(WCAG_NON_TEXT, true)).toEqual([]);
  });
});
