import MarkdownIt from 'markdown-it';
import { LANGS, Words } from '../../src/words/words';
import { readable } from '../helpers/cardRules';
import { sampleCards } from '../render/sampleCards';
import { MESSAGE_IDS, sampleParams } from './sampleParams';

// Microsoft's Adaptive Card renderer for the web reads TextBlock text as CommonMark (markdown-it); Teams reads a subset,
// and a plain-text reply as Markdown with some HTML. With `html: true`, tags and entities count as read too; links
// with a scheme and mail addresses count as read (linkify). A bare domain ("evil.com") is not broken up: the
// escaping the earlier issues pinned (issue 21) leaves names such as "requestedBy.name" exactly as typed.
const md = new MarkdownIt('commonmark', { html: true, linkify: true }).enable('linkify');
md.linkify.set({ fuzzyLink: false, fuzzyEmail: true });
const MARKUP = /<(?!\/?p>)(\/?[a-z][a-z0-9]*)[\s>/]/g;

/** What a reader's client makes of a text, as a multiset of the tags it produces (the paragraph aside), plus card functions and template markers. */
function interpreted(texts: readonly string[]): string[] {
  return texts.flatMap((t) => [
    ...[...md.render(t).matchAll(MARKUP)].map((m) => m[1]),
    ...[...t.matchAll(/\{\{(DATE|TIME)\(/g)].map((m) => m[1]),
    ...(t.includes('${') ? ['${'] : []),
  ]).sort();
}

/** Text from outside as people type it or services send it: markup of every kind a client may read. */
const HOSTILE: Array<[string, string]> = [
  ['Markdown', '**bold** _it_ *one* `code` ~~x~~ # h\n- item\n1. first\n> quote\n    indented\n---\nsetext\n==='],
  ['links', 'evil.com ada@evil.com [x](https://evil.example) ![i](https://evil.example/i.png) <https://evil.example> https://evil.example www.evil.example [r][1]\n\n[1]: https://evil.example'],
  ['HTML', '<b>b</b> <script>alert(1)</script> <at>Bob</at> &lt;i&gt; &amp; &#60;b&#62; <img src=x onerror=alert(1)>'],
  ['template syntax', '${requestedBy.name} ${$root.t.next} {{DATE(2020-01-01T00:00:00Z, SHORT)}} {{TIME(2020-01-01T00:00:00Z)}} {name} {n, plural, one {#} other {#}}'],
  ['right-to-left', '\u202eevil\u202c مشروع \u2067abc\u2069 \u200f'],
  ['5,000 characters', `${'*a* [b](https://e.example) '.repeat(180)}${'x'.repeat(5000)}`.slice(0, 5000)],
];
const BENIGN = 'Contoso';

describe('nothing from outside is read as markup, in any card or reply, in either language (issue 29, item 2)', () => {
  describe.each(LANGS)('%s', (lang) => {
    const words = new Words(lang, 'Europe/Berlin');
    const benignCards = sampleCards({ project: BENIGN, person: BENIGN, text: BENIGN }, words);

    describe.each(HOSTILE)('%s', (_kind, hostile) => {
      const cards = sampleCards({ project: hostile, person: hostile, text: hostile }, words);

      // Button data carries a project's name verbatim (it is what the click acts on); the name rules bound it before any card is made.
      test.each(cards.map((c, i) => [c[0], c[1], i] as const))('card %s (%s): the same markup as with a plain name, and its text cut well under 28 KB', (_name, _state, i) => {
        const card = cards[i][2];
        expect(interpreted(readable(card))).toEqual(interpreted(readable(benignCards[i][2])));
        expect(readable(card).filter((t) => /[\u202a-\u202e\u2066-\u2069]/.test(t))).toEqual([]);
        expect(Buffer.byteLength(readable(card).join(''))).toBeLessThan(20 * 1024);
      });

      test('every reply: the same markup as with a plain name, and a bounded length', () => {
        const offending: string[] = [];
        for (const id of MESSAGE_IDS) {
          sampleParams(id, hostile).forEach((params, i) => {
            const reply = words.reply(id, params);
            const plain = words.reply(id, sampleParams(id, BENIGN)[i]);
            if (interpreted([reply]).join() !== interpreted([plain]).join() || /[\u202a-\u202e\u2066-\u2069]/.test(reply) || reply.length > plain.length + 4_000) offending.push(`${id}: ${reply.slice(0, 200)}`);
          });
        }
        expect(offending).toEqual([]);
      });

      test('every message as a card text: the same markup as with a plain name', () => {
        const offending = MESSAGE_IDS.flatMap((id) => sampleParams(id, hostile).flatMap((params, i) => {
          const text = words.card(id, params);
          return interpreted([text]).join() === interpreted([words.card(id, sampleParams(id, BENIGN)[i])]).join() ? [] : [`${id}: ${text.slice(0, 200)}`];
        }));
        expect(offending).toEqual([]);
      });
    });
  });
});
