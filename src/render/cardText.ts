import type { RecordError } from '../integration/port';
import { literal } from './cardRenderer';

/**
 * A moment as Teams shows it in the reader's own time zone and format. The card functions want
 * RFC 3339 without fractions of a second.
 */
export function cardDateTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const rfc = t.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${rfc}, SHORT)}} {{TIME(${rfc})}}`;
}

/**
 * "under 1 s", "4.2 s", "45 s", "3 min 5 s", "2 h 4 min". Never "0.0 s": a sandbox run of 2,000 rows
 * takes ~50 ms, and "0.0 s" reads as a run that did nothing.
 */
export function durationText(ms: number): string {
  if (ms < 1000) return 'under 1 s';
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}

/** The "Duration" fact of a run card, or none when the service gave no end time (never a made-up 0). */
export function durationFact(ms: number | undefined): Array<{ title: string; value: string }> {
  return ms === undefined ? [] : [{ title: 'Duration', value: durationText(ms) }];
}

const PLAIN = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** A moment in plain text, where Teams' card date functions do not work (text messages): "2 Dec 2026, 01:58 UTC". */
export function plainDateTime(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${PLAIN.format(t)} UTC`;
}

/** Longest record name a card shows: a name too long for the destination is often the very error. */
const MAX_NAME_CHARS = 80;
const clipped = (text: string) => (text.length > MAX_NAME_CHARS ? `${text.slice(0, MAX_NAME_CHARS - 1).trimEnd()}…` : text);
/** Source data (anyone may type an account name) on one line, escaped, angle brackets as ‹ › so nothing reads as a tag. */
const shown = (text: string) => literal(text.replace(/\s+/g, ' ').replace(/</g, '‹').replace(/>/g, '›'));

/**
 * A rejected record as a card lists it, escaped for a TextBlock: "Contoso Ltd (ACC-0042) · 3f2a…: Account
 * Number is required" when the source named it, else "Record 3f2a…: …". The id stays: the admin center finds records by it.
 */
export function recordErrorLine(e: RecordError): string {
  const { name, number } = e.record ?? {};
  const known = name && number ? `${clipped(name)} (${number})` : name ? clipped(name) : number;
  const record = known ? `${shown(known)} · ${shown(e.recordId)}` : `Record ${shown(e.recordId)}`;
  return `${record}${e.field ? ` (${shown(e.field)})` : ''}: ${shown(e.message)}`;
}
