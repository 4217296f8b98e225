import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGUES, type Lang, type MessageId } from './catalogue';
import { CARD_LONG_MAX, forCard, forHtml, forReply, REPLY_LONG_MAX } from './escape';

export type { Lang, MessageId } from './catalogue';

declare const worded: unique symbol;
/** Text for a card's TextBlock, Fact or title. Only the catalogue makes it, so everything in it was escaped for a card. */
export type CardText = string & { readonly [worded]: 'card' };
/** Text for a plain-text reply. Only the catalogue makes it, so everything in it was escaped for a reply. */
export type ReplyText = string & { readonly [worded]: 'reply' };

/** Text for an HTML page (the bot's privacy and terms pages). Only the catalogue makes it, so all of it was escaped for HTML. */
export type PageText = string & { readonly [worded]: 'page' };

/** A moment (ISO 8601): a card shows it in the reader's own format, a reply in the person's time zone. */
export interface Moment { readonly moment: string }
/** Outside names joined as a list: "Ada, Bob or Carol"; with `mention`, each is @mentioned in a reply. */
export interface Names { readonly names: readonly string[]; readonly join: 'or' | 'and'; readonly mention?: boolean }
/** Outside text that may be long (a comment, a service's explanation): a reply repeats more of it. */
export interface Long { readonly long: string }
/** A person @mentioned in a reply (Teams: `<at>name</at>`, with a mention entity of the same text; see mentionText). */
export interface Mention { readonly mention: string }
/** The target of a Markdown link in a message (`[…]({url})`): kept a link, with nothing that could end it early. */
export interface Link { readonly link: string }
/**
 * A parameter of a message. A string is text from outside (typed, a service's, a record's) and is
 * always escaped for where the sentence lands; a Said is another sentence of the catalogue; a number
 * is formatted (and chooses plurals) in the person's language.
 */
export type Param = string | number | Said | Moment | Names | Long | Link | Mention;
/** Named parameters of a message. */
export type Params = Readonly<Record<string, Param>>;

/** A sentence not yet worded: what the domain returns, and what the edge words in the person's language. */
export interface Said { readonly id: MessageId; readonly params?: Params }

/** A sentence of the catalogue with its parameters. */
export function said(id: MessageId, params?: Params): Said {
  return params ? { id, params } : { id };
}

/** True for a Said (a value of the catalogue's own), as opposed to a string from outside. */
export function isSaid(value: unknown): value is Said {
  return typeof value === 'object' && value !== null && typeof (value as Said).id === 'string' && (value as Said).id in CATALOGUES.en;
}

type Target = 'card' | 'reply';
const LOCALES: Record<Lang, string> = { en: 'en-GB', de: 'de-DE' };
const compiled = new Map<string, IntlMessageFormat>();

/** The person's words: their language and time zone, applied to every message of the catalogue. */
export class Words {
  constructor(readonly lang: Lang = 'en', readonly timeZone = 'UTC') {}

  /** A message for a card. */
  card(message: MessageId | Said, params?: Params): CardText {
    return this.format(message, params, 'card') as CardText;
  }

  /** A message for a plain-text reply. */
  reply(message: MessageId | Said, params?: Params): ReplyText {
    return this.format(message, params, 'reply') as ReplyText;
  }

  /** A message for an HTML page: the whole sentence escaped for HTML (parameters worded as a reply words them). */
  page(message: MessageId | Said, params?: Params): PageText {
    return forHtml(this.format(message, params, 'reply')) as PageText;
  }

  /** Messages for one plain-text reply, a line each. */
  replyLines(messages: readonly Said[]): ReplyText {
    return messages.map((m) => this.reply(m)).join('\n') as ReplyText;
  }

  /** The fixed texts of a card template (ids `<prefix>.<key>`), as its `t` data: `${t.key}` in the template. */
  strings(prefix: string): Record<string, CardText> {
    const ids = Object.keys(CATALOGUES.en).filter((id) => id.startsWith(`${prefix}.`)) as MessageId[];
    return Object.fromEntries(ids.map((id) => [id.slice(prefix.length + 1), this.card(id)]));
  }

  /** A moment as a plain-text reply says it, in the person's time zone: "2 Dec 2026, 02:58 CET". */
  plainMoment(iso: string): string {
    const t = new Date(iso);
    if (Number.isNaN(t.getTime())) return forReply(iso);
    const when = new Intl.DateTimeFormat(LOCALES[this.lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: this.timeZone }).format(t);
    const zone = new Intl.DateTimeFormat(LOCALES[this.lang], { timeZone: this.timeZone, timeZoneName: 'short' }).formatToParts(t).find((p) => p.type === 'timeZoneName')?.value;
    return `${when} ${zone === 'GMT' && this.timeZone === 'UTC' ? 'UTC' : zone ?? this.timeZone}`;
  }

  private format(message: MessageId | Said, params: Params | undefined, target: Target): string {
    const { id, params: own } = typeof message === 'string' ? { id: message, params } : message;
    const source = CATALOGUES[this.lang][id] ?? CATALOGUES.en[id];
    const key = `${this.lang}\u0000${id}`;
    let format = compiled.get(key);
    if (!format) compiled.set(key, (format = new IntlMessageFormat(source, LOCALES[this.lang], undefined, { ignoreTag: true })));
    const values = Object.fromEntries(Object.entries(own ?? {}).map(([name, value]) => [name, this.value(value, target)]));
    return String(format.format(values));
  }

  private value(value: Param, target: Target): string | number {
    if (typeof value === 'number') return value;
    if (typeof value === 'string') return target === 'card' ? forCard(value) : forReply(value);
    if ('moment' in value) return target === 'card' ? cardMoment(value.moment) : this.plainMoment(value.moment);
    if ('link' in value) return target === 'card' ? linkTarget(value.link) : forReply(value.link);
    if ('long' in value) return target === 'card' ? forCard(value.long, CARD_LONG_MAX) : forReply(value.long, REPLY_LONG_MAX);
    if ('names' in value) {
      const list = new Intl.ListFormat(LOCALES[this.lang], { type: value.join === 'or' ? 'disjunction' : 'conjunction' });
      return list.format(value.names.map((n) => (target === 'card' ? forCard(n) : value.mention ? mentionText(n) : forReply(n))));
    }
    if ('mention' in value) return target === 'card' ? forCard(value.mention) : mentionText(value.mention);
    return this.format(value, undefined, target);
  }
}

/** A moment as Teams shows it on a card, in the reader's own time zone and format (RFC 3339 without fractions). */
function cardMoment(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return forCard(iso);
  const rfc = t.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${rfc}, SHORT)}} {{TIME(${rfc})}}`;
}

/** How a reply @mentions a person: the text of the mention entity that goes with it. The name cannot close the tag. */
export function mentionText(name: string): string {
  return `<at>${name.replace(/[<>]/g, '')}</at>`;
}

/** An http(s) address as a Markdown link target: characters that could end the target or start markup percent-encoded. */
function linkTarget(url: string): string {
  if (!/^https:\/\//i.test(url)) return '';
  return url.replace(/[\s()<>[\]*_`{}$\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The languages the catalogue speaks. */
export const LANGS = Object.keys(CATALOGUES) as Lang[];

/** Words in English and UTC: for what has no person behind it (a proactive alert, a log's answer). */
export const ENGLISH = new Words('en', 'UTC');

/** The part of an activity that says the person's language and time zone (structural: no botbuilder here). */
export interface ActivityLocale { locale?: string; localTimezone?: string }

/** The words for the person of an activity: their `locale` (English where there is no translation) and `localTimezone`. */
export function wordsFor(activity: ActivityLocale | undefined): Words {
  const lang = (activity?.locale ?? '').slice(0, 2).toLowerCase();
  const known = (LANGS as string[]).includes(lang) ? (lang as Lang) : 'en';
  return new Words(known, validZone(activity?.localTimezone));
}

function validZone(zone: string | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}
