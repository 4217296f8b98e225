import fc from 'fast-check';
import { type DataflowRefresh, refreshOutcomeOf } from '../../src/integration/port';
import { type DataflowAlert, decideDataflowWatch } from '../../src/notifications/dataflowDecision';
import { type DataflowWatch, dataflowWatchSchema } from '../../src/notifications/dataflowWatchStore';

const DATAFLOW = '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b';
const ENV = { name: 'env-1', displayName: 'Contoso CDS', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' };
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(ms).toISOString();
let n = 0;
const refresh = (endMs: number, extra: Partial<DataflowRefresh> = {}): DataflowRefresh => ({
  id: `r-${(n += 1)}`, dataflowId: DATAFLOW, status: 'Success', outcome: refreshOutcomeOf('Success'), endedAt: at(endMs), startedAt: at(endMs - MIN), ...extra,
});
const watchOf = (since: number): DataflowWatch => dataflowWatchSchema.parse({
  dataflowId: DATAFLOW, dataflowName: 'Accounts', environment: ENV, conversationId: 'c1', owner: { aadObjectId: 'ada', name: 'Ada' },
  notifyLevel: 'all', since: at(since),
});

/** A watch polled as the watcher does: each poll gets the refreshes that ended since the one before (the first a week back), and its decision is kept. */
function polled(since: number) {
  let watch = watchOf(since);
  const reported = new Set<string>();
  let last = since - 7 * DAY;
  const said: Array<DataflowAlert & { at: number }> = [];
  return {
    get watch() { return watch; },
    said,
    poll(nowMs: number, refreshes: readonly DataflowRefresh[]) {
      const read = refreshes.filter((r) => Date.parse(r.endedAt) > last && Date.parse(r.endedAt) <= nowMs);
      const decision = decideDataflowWatch({ watch, refreshes: read, reported, now: new Date(nowMs) });
      watch = dataflowWatchSchema.parse({ ...watch, ...decision.update });
      decision.report.forEach((id) => reported.add(id));
      said.push(...decision.alerts.map((a) => ({ ...a, at: nowMs })));
      last = nowMs;
      return decision.alerts;
    },
  };
}

test('a dataflow refreshed by hand a few times in a row (on demand, no schedule) is not reported as stalled half an hour later', () => {
  // Someone fixes a query and clicks "Refresh" four times within 15 minutes; the dataflow has no schedule.
  const T0 = Date.parse('2026-12-06T00:00:00.000Z');
  const burst = [0, 5, 10, 15].map((m) => refresh(T0 + m * MIN, { refreshType: 'Manual' }));
  const watch = polled(T0 - MIN);
  expect(watch.poll(T0 + 16 * MIN, burst).map((a) => a.kind)).toEqual(['refresh', 'refresh', 'refresh', 'refresh']);
  for (let m = 20; m <= 3 * 24 * 60; m += 5) expect(watch.poll(T0 + m * MIN, burst)).toEqual([]);
});

describe('a dataflow scheduled daily on weekdays only', () => {
  const WEDNESDAY = Date.parse('2026-11-25T00:00:00.000Z');
  /** How long its refresh takes on each day (Monday's has the weekend's data, Friday's little). */
  const MINUTES = [0, 25, 9, 14, 5, 2, 0];
  /** Its refreshes, each weekday from 06:00 UTC, from two weeks before the day of `from` to the day of `until`. */
  const weekdays = (from: number, until: number) => {
    const times: number[] = [];
    for (let t = from - 14 * DAY + 6 * HOUR; t <= until + 6 * HOUR; t += DAY) {
      const day = new Date(t).getUTCDay();
      if (day !== 0 && day !== 6) times.push(t + MINUTES[day]! * MIN);
    }
    return times.map((t) => refresh(t));
  };

  test.each([['Wednesday', 0], ['Saturday', 3]])('watched from a %s: two weekends pass without "has not refreshed" and without "refreshing again"', (_day, offset) => {
    const start = WEDNESDAY + offset * DAY;
    const end = start + 20 * DAY;
    const refreshes = weekdays(start, end);
    const watch = polled(start);
    for (let t = start; t <= end + DAY; t += 10 * MIN) watch.poll(t, refreshes);
    expect(watch.said.filter((a) => a.kind !== 'refresh')).toEqual([]);
    expect(watch.said).toHaveLength(refreshes.filter((r) => Date.parse(r.endedAt) > start).length);
  });

  test('it still stalls when it stops on a weekday: once, after one and a half weekends of silence, and says when it is back', () => {
    const stop = WEDNESDAY + 14 * DAY; // a Wednesday, after two weekends seen
    const refreshes = weekdays(WEDNESDAY, stop);
    const watch = polled(WEDNESDAY);
    for (let t = WEDNESDAY; t <= stop + 10 * DAY; t += HOUR) watch.poll(t, refreshes);
    const stalls = watch.said.filter((a) => a.kind === 'stalled');
    expect(stalls).toHaveLength(1);
    const silence = stalls[0]!.at - Date.parse(refreshes.at(-1)!.endedAt);
    expect(silence).toBeGreaterThan(1.5 * (3 * DAY + 23 * MIN)); // one and a half of its longest gap, a weekend
    expect(silence).toBeLessThanOrEqual(1.5 * (3 * DAY + 23 * MIN) + HOUR);
    const back = refresh(stop + 11 * DAY);
    expect(watch.poll(stop + 11 * DAY + HOUR, [back]).map((a) => a.kind)).toEqual(['refresh', 'resumed']);
  });
});

test('property: no stall is ever declared for a silence no longer than the longest gap already seen', () => {
  const T0 = Date.parse('2026-12-06T00:00:00.000Z');
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 1, max: 4 * 24 * 60 }), { minLength: 1, maxLength: 30 }),
    fc.array(fc.integer({ min: 1, max: 5 * 24 * 60 }), { minLength: 1, maxLength: 4 }),
    (gapsMin, pollsMin) => {
      const ends = gapsMin.reduce<number[]>((times, g) => [...times, (times.at(-1) ?? T0) + g * MIN], []);
      const refreshes = ends.map((t) => refresh(t));
      const watch = polled(T0);
      let t = T0;
      for (const r of refreshes) watch.poll((t = Date.parse(r.endedAt)), refreshes);
      // Then quiet: each poll after the last refresh, never past the longest gap of the history the watch kept.
      const kept = (watch.watch.recentEnds ?? []).map(Date.parse);
      const longest = Math.max(0, ...kept.slice(1).map((e, i) => e - kept[i]!));
      for (const p of pollsMin.sort((a, b) => a - b)) {
        const quiet = Math.min(p * MIN, longest);
        if (quiet <= 0) continue;
        expect(watch.poll(t + quiet, refreshes).filter((a) => a.kind === 'stalled')).toEqual([]);
      }
    },
  ));
});

describe('a dataflow refreshed hourly on weekdays only (its 12 kept end times never span a weekend)', () => {
  const MONDAY = Date.parse('2026-11-30T00:00:00.000Z');
  /** Its refreshes: every hour from 07:00 to 18:00 UTC, Monday to Friday, for `weeks` weeks. */
  const hourly = (weeks: number) => {
    const out: DataflowRefresh[] = [];
    for (let d = 0; d < weeks * 7; d++) {
      const day = new Date(MONDAY + d * DAY).getUTCDay();
      if (day === 0 || day === 6) continue;
      for (let h = 7; h <= 18; h++) out.push(refresh(MONDAY + d * DAY + h * HOUR));
    }
    return out;
  };

  test('is said to have stalled at most on its first night and first weekend watched, never after (the longest gap of two weeks is kept)', () => {
    // Its 12 kept end times are one day's: without the gap kept, every night (13 h) and every weekend was a stall.
    const refreshes = hourly(3);
    const watch = polled(MONDAY);
    for (let t = MONDAY + 30 * MIN; t < MONDAY + 21 * DAY; t += 30 * MIN) watch.poll(t, refreshes);
    const stalls = watch.said.filter((a) => a.kind === 'stalled').map((a) => new Date(a.at).getUTCDay());
    expect(stalls.length).toBeLessThanOrEqual(2);
    expect(watch.said.filter((a) => a.kind === 'stalled' && a.at > MONDAY + 7 * DAY)).toEqual([]);
    expect(watch.watch.longestGap?.ms).toBeGreaterThanOrEqual(60 * HOUR);
  });

  test('that really stops on a Tuesday is still said to have stalled, once', () => {
    const refreshes = hourly(3).filter((r) => Date.parse(r.endedAt) < MONDAY + 15 * DAY); // nothing after the third Monday
    const watch = polled(MONDAY);
    for (let t = MONDAY + 30 * MIN; t < MONDAY + 21 * DAY; t += 30 * MIN) watch.poll(t, refreshes);
    expect(watch.said.filter((a) => a.kind === 'stalled' && a.at > MONDAY + 15 * DAY)).toHaveLength(1);
  });
});

describe('a dataflow refreshed by hand 15 times in an afternoon (while someone builds it), then never again', () => {
  const T0 = Date.parse('2026-12-07T13:00:00.000Z');
  /** Minutes after 13:00 at which each refresh by hand ended: more than 12 in a row, as irregular as clicks are. */
  const CLICKS = [0, 7, 12, 25, 31, 44, 58, 71, 90, 104, 131, 150, 171, 200, 236];
  const burst = (refreshType?: string) => CLICKS.map((m) => refresh(T0 + m * MIN, refreshType === undefined ? {} : { refreshType }));

  test.each(['Manual', 'OnDemand', 'On demand'])('rows whose refresh type is "%s" never make a schedule: a week of silence after them is no stall', (refreshType) => {
    const refreshes = burst(refreshType);
    const watch = polled(T0 - HOUR);
    for (let t = T0; t <= T0 + 7 * DAY; t += 10 * MIN) watch.poll(t, refreshes);
    expect(watch.said.filter((a) => a.kind !== 'refresh')).toEqual([]);
    expect(watch.said).toHaveLength(CLICKS.length);
  });

  test('a schedule that stops is still said to have stalled, once, whether its rows say "Scheduled" or carry no type', () => {
    for (const refreshType of ['Scheduled', undefined]) {
      // Every half hour for two days, then nothing.
      const refreshes = Array.from({ length: 96 }, (_, i) => refresh(T0 + i * 30 * MIN, refreshType === undefined ? {} : { refreshType }));
      const watch = polled(T0 - HOUR);
      for (let t = T0; t <= T0 + 7 * DAY; t += 10 * MIN) watch.poll(t, refreshes);
      const stalls = watch.said.filter((a) => a.kind === 'stalled');
      expect(stalls).toHaveLength(1);
      expect(stalls[0]).toMatchObject({ lastRefreshAt: refreshes.at(-1)!.endedAt, usualIntervalMs: 30 * MIN });
    }
  });

  test('refreshes by hand between scheduled ones do not shorten the schedule learned; one after the schedule stopped moves "not refreshed since" to it', () => {
    // Daily at 06:00 for two weeks; someone refreshes by hand 15 times on the last afternoon, then the schedule stops.
    const DAY0 = Date.parse('2026-11-23T06:00:00.000Z');
    const daily = Array.from({ length: 14 }, (_, i) => refresh(DAY0 + i * DAY, { refreshType: 'Scheduled' }));
    const byHand = CLICKS.map((m) => refresh(DAY0 + 13 * DAY + 7 * HOUR + m * MIN, { refreshType: 'Manual' }));
    const refreshes = [...daily, ...byHand];
    const watch = polled(DAY0 - HOUR);
    for (let t = DAY0; t <= DAY0 + 20 * DAY; t += 30 * MIN) watch.poll(t, refreshes);
    const stalls = watch.said.filter((a) => a.kind === 'stalled');
    expect(stalls).toHaveLength(1);
    // The usual interval is still a day; the quiet counts from the last refresh by hand (it did refresh then).
    expect(stalls[0]).toMatchObject({ lastRefreshAt: byHand.at(-1)!.endedAt, usualIntervalMs: DAY });
    expect(stalls[0]!.at - Date.parse(byHand.at(-1)!.endedAt)).toBeGreaterThan(3 * DAY);
  });
});
