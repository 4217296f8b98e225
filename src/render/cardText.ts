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

/** "0.4 s", "45 s", "3 min 5 s", "2 h 4 min". */
export function durationText(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}

const PLAIN = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** A moment in plain text, where Teams' card date functions do not work (text messages): "2 Dec 2026, 01:58 UTC". */
export function plainDateTime(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${PLAIN.format(t)} UTC`;
}

/** How much of what a person typed a reply repeats. */
export const ECHO_MAX = 80;

/**
 * Typed text as a reply repeats it: at most `max` characters, the rest elided, so that pasting
 * a page into a command never yields a reply over Teams' 28 KB message limit.
 */
export function echo(text: string, max = ECHO_MAX): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}
