import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { shortenMiddle, shownAsTyped } from '../../src/words/sanitize';

// CommonMark as Microsoft's Adaptive Card renderer for the web reads TextBlock text (markdown-it); Teams reads a subset of it.
const md = new MarkdownIt('commonmark');
const MARKUP = /<(em|strong|a|ul|ol|li|code|h\d|blockquote|img)\b/;
const decode = (html: string) => html.replace(/<\/?p>\n?/g, '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** What a person reads: the rendered text, with the invisible word joiners gone and the look-alike asterisk read as one. */
const read = (text: string) => decode(md.render(text)).replace(/\u2060/g, '').replace(/\u2217/g, '*').trimEnd();

describe('text shown as typed on a card (issue 21, item 4)', () => {
  test.each([
    ['**bold**'], ['_italic_'], ['__strong__'], ['*one*'], ['[x](https://evil.example)'], ['- item'], ['1. first'], ['+ plus'], ['# heading'], ['> quote'],
    ['Accounts (Sales to CDS).'], ['{{DATE(2026-03-01T09:00:00Z)}}'], ['${requestedBy.name}'], ['a\\[b\\]'], ['Accounts_Sync_2'], ['x_ y _z'],
  ])('%j is read as typed: no markup, and no backslash the person did not type', (typed) => {
    const shown = shownAsTyped(typed);
    expect(md.render(shown)).not.toMatch(MARKUP);
    expect(read(shown)).toBe(typed);
    expect(shown.split('\\').length).toBe(typed.split('\\').length);
    expect(shown).not.toMatch(/\{\{|\$\{/);
  });

  test('a name with only letters, digits, spaces and intraword underscores is left exactly as it is', () => {
    expect(shownAsTyped('Accounts (Sales to CDS) 2026_v2.')).toBe('Accounts (Sales to CDS) 2026_v2.');
  });

  test('any text over the Markdown alphabet renders without markup and reads as typed', () => {
    const alphabet = fc.constantFrom('*', '_', '[', ']', '(', ')', '-', '+', '1', '.', '{', '}', '$', '\\', '#', '`', '~', ' ', 'a', 'b', '\n');
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join('')), (typed) => {
      const shown = shownAsTyped(typed);
      const html = md.renderInline(shown.replace(/\n/g, ' '));
      expect(html).not.toMatch(/<(em|strong|a)\b/);
      expect(shown.split('\\').length).toBe(typed.split('\\').length);
    }), { numRuns: 2000 });
  });
});

describe('shortenMiddle (issue 32, item 5)', () => {
  test('at most max characters, both ends kept, the middle cut with one "…"; short text unchanged', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.integer({ min: 3, max: 60 }), (text, max) => {
      const short = shortenMiddle(text, max);
      const chars = Array.from(text);
      if (chars.length <= max) return short === text;
      const head = chars.slice(0, Math.ceil((max - 1) / 2)).join('');
      const tail = chars.slice(chars.length - Math.floor((max - 1) / 2)).join('');
      return Array.from(short).length === max && short === `${head}…${tail}`;
    }));
    expect(shortenMiddle('meganb@contoso.onmicrosoft.com', 20)).toBe('meganb@con…osoft.com');
  });
});
