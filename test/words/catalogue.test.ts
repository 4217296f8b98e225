import fs from 'node:fs';
import path from 'node:path';
import { CATALOGUES } from '../../src/words/catalogue';
import { LANGS, wordsFor, Words } from '../../src/words/words';
import { ROOT } from '../helpers/build';
import { filesUnder } from '../architecture/imports';
import { cardProblems } from '../helpers/cards';
import { readable } from '../helpers/cardRules';
import { sampleCards } from '../render/sampleCards';
import { argumentsOf, MESSAGE_IDS, sampleParams } from './sampleParams';

const TEMPLATES = fs.readdirSync(path.join(ROOT, 'cards')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

describe('the catalogue speaks English and German (issue 29, item 2)', () => {
  test.each(LANGS)('%s has every message, with the same arguments as English', (lang) => {
    const missing = MESSAGE_IDS.filter((id) => typeof CATALOGUES[lang][id] !== 'string' || CATALOGUES[lang][id].trim() === '');
    expect(missing).toEqual([]);
    const differing = MESSAGE_IDS.filter((id) => [...argumentsOf(CATALOGUES[lang][id]).keys()].sort().join() !== [...argumentsOf(CATALOGUES.en[id]).keys()].sort().join());
    expect(differing).toEqual([]);
  });

  test.each(LANGS)('every message renders in %s, as a card text and as a reply, with every select option', (lang) => {
    const words = new Words(lang, 'Europe/Berlin');
    for (const id of MESSAGE_IDS) {
      for (const params of sampleParams(id, 'Contoso')) {
        expect(words.card(id, params)).not.toMatch(/\{[a-z]+\}|undefined/);
        expect(words.reply(id, params)).not.toMatch(/\{[a-z]+\}|undefined/);
      }
    }
  });

  test('the German catalogue is a translation, not a copy (HTTP answers to callers stay in English)', () => {
    const sentences = MESSAGE_IDS.filter((id) => /[a-z]{3,} [a-z]{3,} [a-z]{3,}/.test(CATALOGUES.en[id]) && !/^(error\.)?http\./.test(id));
    expect(sentences.filter((id) => CATALOGUES.de[id] === CATALOGUES.en[id])).toEqual([]);
  });

  test('every message is used: by name in src/, or as a fixed text `${$root.t.key}` of its card template', () => {
    const code = filesUnder('src').filter((f) => !f.startsWith('src/words/')).map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    const template = (name: string) => (fs.existsSync(path.join(ROOT, 'cards', `${name}.json`)) ? fs.readFileSync(path.join(ROOT, 'cards', `${name}.json`), 'utf8') : '');
    const setupTemplates = TEMPLATES.filter((t) => t.startsWith('setup') || t === 'serviceProblem').map(template).join('\n');
    const used = (id: string) => {
      const fixed = /^card\.(\w+)\.(\w+)$/.exec(id);
      if (!fixed) return code.includes(`'${id}'`);
      return (fixed[1] === 'setup' ? setupTemplates : template(fixed[1])).includes(`$root.t.${fixed[2]}}`);
    };
    expect(MESSAGE_IDS.filter((id) => !used(id))).toEqual([]);
  });

  test.each(TEMPLATES)('every fixed text of cards/%s.json is in the catalogue', (name) => {
    const template = fs.readFileSync(path.join(ROOT, 'cards', `${name}.json`), 'utf8');
    const keys = [...template.matchAll(/\$root\.t\.(\w+)/g)].map((m) => m[1]);
    const known = (key: string) => `card.${name}.${key}` in CATALOGUES.en || (name.startsWith('setup') || name === 'serviceProblem') && `card.setup.${key}` in CATALOGUES.en;
    expect(keys.filter((key) => !known(key))).toEqual([]);
  });

  describe.each(LANGS)('every card in %s', (lang) => {
    test.each(sampleCards(undefined, new Words(lang)))('%s (%s) has every text filled in and stays a valid card', (_name, _state, card) => {
      expect(cardProblems(card)).toEqual([]);
      expect(JSON.stringify(card)).not.toMatch(/\$\{|\$root|undefined/);
      expect(readable(card).filter((t) => t.trim() === '')).toEqual([]);
    });
  });

  test('a German card says German, and an English one English', () => {
    const [de, en] = [new Words('de'), new Words('en')].map((w) => readable(sampleCards(undefined, w).find(([name]) => name === 'setupProject')![2]).join(' | '));
    expect(de).toContain('Schritt 3 von 5: Projekt');
    expect(de).toContain('Datenschutzhinweis');
    expect(en).toContain('Step 3 of 5: project');
  });
});

describe('the person\'s language and time zone come from the activity (issue 29, item 2)', () => {
  test('locale picks the language; one without a translation is English', () => {
    expect(wordsFor({ locale: 'de-DE' }).lang).toBe('de');
    expect(wordsFor({ locale: 'de-AT' }).lang).toBe('de');
    expect(wordsFor({ locale: 'fr-FR' }).lang).toBe('en');
    expect(wordsFor({}).lang).toBe('en');
    expect(wordsFor(undefined).lang).toBe('en');
  });

  test('plain-text times are in the person\'s time zone, and in UTC without one (or with one that does not exist)', () => {
    const at = { moment: '2026-12-02T01:58:00.000Z' };
    expect(wordsFor({ locale: 'en-US' }).reply('alert.resumedNext', { project: 'P', next: at })).toContain('2 Dec 2026, 01:58 UTC');
    expect(wordsFor({ locale: 'en-US', localTimezone: 'Europe/Berlin' }).reply('alert.resumedNext', { project: 'P', next: at })).toMatch(/2 Dec 2026, 02:58 (CET|GMT\+1)/);
    expect(wordsFor({ locale: 'de-DE', localTimezone: 'America/New_York' }).reply('alert.resumedNext', { project: 'P', next: at })).toMatch(/01\.12\.2026, 20:58/);
    expect(wordsFor({ localTimezone: 'Mars/Olympus' }).timeZone).toBe('UTC');
  });

  test('a card leaves the time to Teams, which shows it in the reader\'s own zone', () => {
    expect(new Words('de', 'Europe/Berlin').card('run.nextAt', { when: { moment: '2026-12-02T01:58:00.000Z' } })).toContain('{{DATE(2026-12-02T01:58:00Z, SHORT)}}');
  });
});
