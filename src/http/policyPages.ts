import { createHash } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { LANGS, type Lang, type MessageId, Words } from '../words/words';

/**
 * The bot's web pages: its home, privacy and terms. The Teams app package links `https://<bot host>/`, `/privacy` and
 * `/terms` unless the operator names pages of their own (DEVELOPER_WEBSITE_URL, DEVELOPER_PRIVACY_URL,
 * DEVELOPER_TERMS_URL), and the Teams admin center shows
 * those links to admins: the bot answers them with what it stores and who is responsible, from the catalogue. They
 * read nothing of the request but its Accept-Language, and touch neither the adapter nor the stores.
 */
interface Section { heading?: MessageId; paragraphs?: MessageId[]; list?: MessageId[] }
interface Page { title: MessageId; sections: Section[]; links: Array<{ path: string; label: MessageId }> }

const FOR_THE_OPERATOR: Section = { heading: 'page.operatorHeading', paragraphs: ['page.operatorNote'] };

export const POLICY_PAGES: Readonly<Record<'/' | '/privacy' | '/terms', Page>> = {
  // The app package's default website link (DEVELOPER_WEBSITE_URL): what the bot is, and where to meet it.
  '/': {
    title: 'page.home.title',
    sections: [{ paragraphs: ['page.home.intro', 'page.home.where'] }, FOR_THE_OPERATOR],
    links: [{ path: '/privacy', label: 'page.seePrivacy' }, { path: '/terms', label: 'page.seeTerms' }],
  },
  '/privacy': {
    title: 'page.privacy.title',
    sections: [
      { paragraphs: ['page.privacy.intro'] },
      {
        heading: 'page.privacy.storedHeading',
        list: ['page.privacy.stored.references', 'page.privacy.stored.setups', 'page.privacy.stored.approvals', 'page.privacy.stored.watches', 'page.privacy.stored.reports', 'page.privacy.stored.locks'],
      },
      { heading: 'page.privacy.whereHeading', paragraphs: ['page.privacy.where'] },
      { heading: 'page.privacy.notStoredHeading', list: ['page.privacy.notStored.tokens', 'page.privacy.notStored.messages'] },
      { heading: 'page.privacy.sentHeading', list: ['page.privacy.sent.teams', 'page.privacy.sent.signIn', 'page.privacy.sent.powerPlatform', 'page.privacy.sent.telemetry'] },
      { heading: 'page.privacy.contactHeading', paragraphs: ['page.privacy.contact'] },
      FOR_THE_OPERATOR,
    ],
    links: [{ path: '/terms', label: 'page.seeTerms' }],
  },
  '/terms': {
    title: 'page.terms.title',
    sections: [
      { paragraphs: ['page.terms.intro', 'page.terms.acts', 'page.terms.services', 'page.terms.asIs', 'page.terms.contact'] },
      FOR_THE_OPERATOR,
    ],
    links: [{ path: '/privacy', label: 'page.seePrivacy' }],
  },
};

/** The page's one style sheet, allowed by its hash: the policy allows nothing else (no script, image, frame or form). */
const STYLE = 'body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.6rem}';
export const PAGE_POLICY = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** The language of a page: of those the catalogue speaks, the one Accept-Language gives the highest weight; English otherwise. */
export function pageLang(acceptLanguage: string | undefined): Lang {
  let best: { lang: Lang; q: number } | undefined;
  for (const range of (acceptLanguage ?? '').split(',').slice(0, 20)) {
    const [tag = '', ...params] = range.split(';').map((p) => p.trim());
    const lang = tag.split('-')[0]!.toLowerCase() as Lang;
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    if (LANGS.includes(lang) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'en';
}

function pageHtml(page: Page, words: Words): string {
  const t = (id: MessageId) => words.page(id);
  const section = ({ heading, paragraphs = [], list }: Section) => [
    heading ? `<h2>${t(heading)}</h2>` : '',
    ...paragraphs.map((p) => `<p>${t(p)}</p>`),
    list ? `<ul>${list.map((item) => `<li>${t(item)}</li>`).join('')}</ul>` : '',
  ].join('');
  return '<!doctype html>'
    + `<html lang="${words.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${t(page.title)}</title><style>${STYLE}</style></head>`
    + `<body><main><h1>${t(page.title)}</h1>${page.sections.map(section).join('')}`
    + `<p>${page.links.map((l) => `<a href="${l.path}">${t(l.label)}</a>`).join(' · ')}</p></main></body></html>`;
}

/** Serves GET (and HEAD) /, /privacy and /terms, in the reader's language, as HTML under a strict content security policy. */
export function servePolicyPages(server: Server): void {
  const built = new Map<string, string>();
  for (const [path, page] of Object.entries(POLICY_PAGES)) {
    const answer = async (req: Request, res: Response) => {
      const lang = pageLang(req.header('accept-language'));
      const key = `${path}\u0000${lang}`;
      if (!built.has(key)) built.set(key, pageHtml(page, new Words(lang)));
      res.sendRaw(200, built.get(key)!, {
        'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_POLICY, 'content-language': lang, vary: 'Accept-Language',
        'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'public, max-age=3600',
      });
    };
    server.get(path, answer);
    server.head(path, answer);
  }
}
