import fc from 'fast-check';
import { runAlertOf, runDurationMs } from '../../src/notifications/watchDecision';
import { durationText, recordErrorLine } from '../../src/render/cardText';
import { runResultCard } from '../../src/render/projectCards';
import { runAlertCard, runDigestCard } from '../../src/render/runCards';
import { cardText } from '../helpers/cardWalk';

const run = {
  id: 'exec-1', projectName: 'AccSync', status: 'warning' as const, upserts: 1990, errorCount: 10, recordErrors: [],
  submittedAt: '2026-12-01T23:54:00.000Z', startedAt: '2026-12-01T23:54:00.000Z',
};

describe('durations as a card shows them (issue 12, item 15)', () => {
  test('a run shorter than a second is "under 1 s", never "0.0 s"', () => {
    expect(durationText(0)).toBe('under 1 s');
    expect(durationText(48)).toBe('under 1 s');
    expect(durationText(999)).toBe('under 1 s');
    expect(durationText(1000)).toBe('1.0 s');
    expect(durationText(9_960)).toBe('9.9 s');
    expect(durationText(42_000)).toBe('42 s');
    expect(durationText(185_000)).toBe('3 min 5 s');
    expect(durationText(7_440_000)).toBe('2 h 4 min');
  });

  test('no duration reads as zero', () => {
    fc.assert(fc.property(fc.nat({ max: 10 * 86_400_000 }), (ms) => !/^0(\.0)? s$/.test(durationText(ms))));
  });

  test('a 50 ms run of 2,000 rows says "under 1 s" on the alert, the digest and the Run now card', () => {
    const fast = { ...run, endedAt: '2026-12-01T23:54:00.050Z' };
    const alert = runAlertOf(fast, 'warning');
    expect(cardText(runAlertCard(alert))).toContain('Duration | under 1 s');
    expect(cardText(runDigestCard([alert, alert]))).toContain('10 errors, under 1 s');
    expect(cardText(runResultCard('AccSync', fast))).toContain('Duration | under 1 s');
  });

  test('without an end time (or with times that do not parse) the cards leave the duration out', () => {
    expect(runDurationMs(run)).toBeUndefined();
    expect(runDurationMs({ startedAt: 'soon', endedAt: '2026-12-01T23:54:00.050Z' })).toBeUndefined();
    const alert = runAlertOf(run, 'warning');
    expect(alert.durationMs).toBeUndefined();
    expect(cardText(runAlertCard(alert))).not.toContain('Duration');
    const digest = cardText(runDigestCard([alert, alert]));
    expect(digest).toContain('1990 upserts, 10 errors');
    expect(digest).not.toMatch(/10 errors, /);
  });

  test('without an end time the alert never passes the start off as the end: "finished by" when the watcher saw it ended, else "started"', () => {
    const at = (iso: string) => `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
    expect(cardText(runAlertCard(runAlertOf(run, 'warning')))).toContain(`Started ${at('2026-12-01T23:54:00Z')}; the service gave no end time.`);
    const seen = runAlertOf(run, 'warning', undefined, 3, { endedBy: '2026-12-01T23:58:00.000Z' });
    expect(cardText(runAlertCard(seen))).toContain(`Finished by ${at('2026-12-01T23:58:00Z')}.`);
    expect(cardText(runDigestCard([seen, seen]))).toContain(`by ${at('2026-12-01T23:58:00Z')}: 1990 upserts, 10 errors`);
    expect(cardText(runDigestCard([runAlertOf(run, 'warning')]))).toContain(`started ${at('2026-12-01T23:54:00Z')}: 1990 upserts`);
    expect(cardText(runResultCard('AccSync', run, undefined, '2026-12-01T23:58:00.000Z'))).toMatch(/Upserts \| 1990 \| Errors \| 10 \| Finished \| by /);
  });
});

describe('rejected records as a card lists them (issue 12, item 15)', () => {
  const id = '3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8';
  const unescaped = (text: string) => text.replace(/\\(.)/g, '$1');
  const named = { recordId: id, field: 'accountnumber', message: 'Account Number is required', record: { name: 'Contoso Ltd', number: 'ACC-0042' } };

  test('the primary name and number stand beside the id; without them the id stands alone', () => {
    expect(unescaped(recordErrorLine(named))).toBe(`Contoso Ltd (ACC-0042) · ${id} (accountnumber): Account Number is required`);
    expect(unescaped(recordErrorLine({ ...named, record: { number: 'ACC-0042' } }))).toBe(`ACC-0042 · ${id} (accountnumber): Account Number is required`);
    expect(unescaped(recordErrorLine({ ...named, record: { name: 'Contoso Ltd' } }))).toBe(`Contoso Ltd · ${id} (accountnumber): Account Number is required`);
    expect(unescaped(recordErrorLine({ ...named, record: undefined }))).toBe(`Record ${id} (accountnumber): Account Number is required`);
  });

  test('a long name is clipped, and a name is never read as markup', () => {
    const line = unescaped(recordErrorLine({ ...named, record: { name: `<at>Bob</at> [x](https://evil.example) ${'y'.repeat(300)}` } }));
    expect(line).not.toMatch(/[<>]/);
    expect(line).toContain('‹at›Bob‹/at›');
    expect(line.length).toBeLessThan(200);
    expect(recordErrorLine({ ...named, record: { name: '[x](https://evil.example)' } })).toContain('[x]\u2060('); // issue 21: no link, and no backslash
  });

  test('the alert and the Run now card show the named record', () => {
    const execution = { ...run, endedAt: '2026-12-01T23:54:02.000Z', recordErrors: [named] };
    const line = `Contoso Ltd (ACC-0042) · ${id} (accountnumber): Account Number is required`;
    expect(unescaped(cardText(runAlertCard(runAlertOf(execution, 'warning'))))).toContain(line);
    expect(unescaped(cardText(runResultCard('AccSync', execution)))).toContain(line);
  });
});
