import type { RecordError } from '../integration/port';
import { ENGLISH, said, type CardText, type Said, type Words } from '../words/words';

/**
 * "under 1 s", "4.2 s", "45 s", "3 min 5 s", "2 h 4 min". Never "0.0 s": a sandbox run of 2,000 rows
 * takes ~50 ms, and "0.0 s" reads as a run that did nothing.
 */
export function durationWords(ms: number): Said {
  if (ms < 1000) return said('duration.underSecond');
  if (ms < 10_000) return said('duration.tenths', { s: Math.floor(ms / 100) / 10 });
  const s = Math.round(ms / 1000);
  if (s < 60) return said('duration.seconds', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? said('duration.minutesSeconds', { m, s: s % 60 }) : said('duration.minutes', { m });
  return m % 60 ? said('duration.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 }) : said('duration.hours', { h: Math.floor(m / 60) });
}

/** The same as card text. */
export function durationText(ms: number, words: Words = ENGLISH): CardText {
  return words.card(durationWords(ms));
}

/** The "Duration" fact of a run card, or none when the service gave no end time (never a made-up 0). */
export function durationFact(ms: number | undefined, words: Words = ENGLISH): Array<{ title: CardText; value: CardText }> {
  return ms === undefined ? [] : [{ title: words.card('fact.duration'), value: durationText(ms, words) }];
}

/** Longest record name a card shows: a name too long for the destination is often the very error. */
const MAX_NAME_CHARS = 80;
const clipped = (text: string) => (text.length > MAX_NAME_CHARS ? `${text.slice(0, MAX_NAME_CHARS - 1).trimEnd()}…` : text);
/** Source data (anyone may type an account name), angle brackets as ‹ › so that nothing even looks like a tag. */
const shown = (text: string) => text.replace(/</g, '‹').replace(/>/g, '›');

/**
 * A rejected record as a card lists it: "Contoso Ltd (ACC-0042) · 3f2a…: Account Number is required"
 * when the source named it, else "Record 3f2a…: …". The id stays: the admin center finds records by it.
 */
export function recordErrorWords(e: RecordError): Said {
  const { name, number } = e.record ?? {};
  const known = name && number ? said('record.nameNumber', { name: shown(clipped(name)), number: shown(number) }) : name ? shown(clipped(name)) : number && shown(number);
  const record = known ? said('record.named', { name: known, id: shown(e.recordId) }) : said('record.unnamed', { id: shown(e.recordId) });
  const message = { long: shown(e.message) };
  return e.field ? said('record.lineField', { record, field: shown(e.field), message }) : said('record.line', { record, message });
}

/** The same as card text. */
export function recordErrorLine(e: RecordError, words: Words = ENGLISH): CardText {
  return words.card(recordErrorWords(e));
}
