import fc from 'fast-check';
import { type DataflowRefresh, refreshOutcomeOf } from '../../src/integration/port';
import {
  type DataflowAlert, dataflowPollGroups, decideDataflowWatch, nextCursor, querySince, usualIntervalMs,
} from '../../src/notifications/dataflowDecision';
import { type DataflowWatch, dataflowWatchSchema } from '../../src/notifications/dataflowWatchStore';

const DATAFLOW = '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b';
const OTHER = '5b2e1d3f-8c4a-4f6e-9b0c-2d3e4f5a6b7c';
const ENV = { name: 'env-1', displayName: 'Contoso CDS', instanceUrl: 'https://contosocds.crm.dynamics.com/', instanceApiUrl: 'https://contosocds.api.crm.dynamics.com/' };
const T0 = Date.parse('2026-12-06T00:00:00.000Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();

const watchOf = (extra: Partial<DataflowWatch> = {}): DataflowWatch => dataflowWatchSchema.parse({
  dataflowId: DATAFLOW, dataflowName: 'Accounts', environment: ENV, conversationId: 'c1', owner: { aadObjectId: 'ada', name: 'Ada' },
  notifyLevel: 'all', since: at(T0), ...extra,
});
let n = 0;
const refresh = (endMs: number, status = 'Success', dataflowId = DATAFLOW): DataflowRefresh => ({
  id: `r-${(n += 1)}`, dataflowId, status, outcome: refreshOutcomeOf(status), endedAt: at(endMs), startedAt: at(endMs - 60_000),
});
const kinds = (alerts: readonly DataflowAlert[]) => alerts.map((a) => a.kind);

describe('which refreshes a watch alerts', () => {
  test('every refresh of its own dataflow after the watch began, oldest first; the rest are recorded as not to alert', () => {
    const before = refresh(T0 - HOUR);
    const [late, early] = [refresh(T0 + 2 * HOUR), refresh(T0 + HOUR)];
    const decision = decideDataflowWatch({ watch: watchOf(), refreshes: [late, refresh(T0 + HOUR, 'Success', OTHER), before, early, late], reported: new Set(), now: new Date(T0 + 3 * HOUR) });
    expect(decision.alerts.map((a) => a.kind === 'refresh' && a.refresh.id)).toEqual([early.id, late.id]);
    expect(decision.report.sort()).toEqual([before.id, early.id, late.id].sort());
    expect(decision.update.lastRefresh).toEqual({ id: late.id, status: 'Success', outcome: 'succeeded', endedAt: late.endedAt });
  });

  test('failures only: a success is recorded silently; a failure, a cancellation and a status nobody documented are alerted as written', () => {
    const refreshes = ['Success', 'Failed', 'Cancelled', 'PartiallySucceeded'].map((s, i) => refresh(T0 + (i + 1) * HOUR, s));
    const decision = decideDataflowWatch({ watch: watchOf({ notifyLevel: 'failures' }), refreshes, reported: new Set(), now: new Date(T0 + 5 * HOUR) });
    expect(decision.alerts.map((a) => a.kind === 'refresh' && [a.refresh.status, a.refresh.outcome])).toEqual([
      ['Failed', 'failed'], ['Cancelled', 'cancelled'], ['PartiallySucceeded', 'unrecognised'],
    ]);
    expect(decision.report).toHaveLength(4);
  });

  test('property: however the refreshes are split into polls (overlaps and repeats included), each is alerted exactly once', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: -5 * HOUR, max: 50 * HOUR }), { minLength: 1, maxLength: 30 }),
      fc.array(fc.nat({ max: 29 }), { maxLength: 10 }),
      fc.constantFrom<DataflowWatch['notifyLevel']>('all', 'failures', 'mute'),
      fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
      (ends, cuts, level, fails) => {
        const refreshes = ends.map((end, i) => refresh(T0 + end, fails[i] ? 'Failed' : 'Success'));
        let watch = watchOf({ notifyLevel: level });
        const reported = new Set<string>();
        const alerted: string[] = [];
        const bounds = [...new Set([0, ...cuts.map((c) => Math.min(c, refreshes.length)), refreshes.length])].sort((a, b) => a - b);
        for (let p = 1; p < bounds.length; p += 1) {
          // Each poll also reads again the poll before it (the overlap).
          const poll = refreshes.slice(bounds[Math.max(0, p - 2)], bounds[p]);
          const decision = decideDataflowWatch({ watch, refreshes: poll, reported, now: new Date(T0 + 60 * HOUR) });
          alerted.push(...decision.alerts.flatMap((a) => (a.kind === 'refresh' ? [a.refresh.id] : [])));
          decision.report.forEach((id) => reported.add(id));
          watch = dataflowWatchSchema.parse({ ...watch, ...decision.update });
        }
        const expected = refreshes.filter((r) => Date.parse(r.endedAt) > T0 && (level === 'all' || (level === 'failures' && r.outcome !== 'succeeded')));
        expect(alerted.sort()).toEqual(expected.map((r) => r.id).sort());
        expect(reported.size).toBe(refreshes.length);
      },
    ));
  });
});

describe('stalls', () => {
  const hourly = (count: number, from = T0) => Array.from({ length: count }, (_, i) => refresh(from + (i + 1) * HOUR));

  test('the usual interval is the median gap, once there are six gaps', () => {
    expect(usualIntervalMs([0, 1, 2, 3, 4, 5].map((h) => at(T0 + h * HOUR)))).toBeUndefined();
    expect(usualIntervalMs([0, 1, 2, 2.1, 3.1, 4.1, 5.1].map((h) => at(T0 + h * HOUR)))).toBe(HOUR);
    fc.assert(fc.property(fc.integer({ min: 60_000, max: 48 * HOUR }), fc.integer({ min: 7, max: 12 }), (gap, count) => {
      expect(usualIntervalMs(Array.from({ length: count }, (_, i) => at(T0 + i * gap)))).toBe(gap);
    }));
  });

  test('one "stalled" after three usual intervals without a refresh, none while it stays quiet, one "resumed" when it refreshes again', () => {
    const history = hourly(7, T0 - 2 * HOUR); // T0 - 1 h to T0 + 5 h: six gaps of an hour
    let watch = watchOf({ since: at(T0 + 10 * HOUR) });
    const step = (refreshes: DataflowRefresh[], nowMs: number, reported = new Set<string>()) => {
      const decision = decideDataflowWatch({ watch, refreshes, reported, now: new Date(nowMs) });
      watch = dataflowWatchSchema.parse({ ...watch, ...decision.update });
      return decision;
    };
    const first = step(history, T0 + 6 * HOUR);
    expect(first.alerts).toEqual([]);
    expect(kinds(step([], T0 + 8 * HOUR).alerts)).toEqual([]);
    const stalled = step([], T0 + 8.5 * HOUR);
    expect(stalled.alerts).toEqual([{ kind: 'stalled', key: `stalled:${DATAFLOW}:${at(T0 + 5 * HOUR)}`, lastRefreshAt: at(T0 + 5 * HOUR), usualIntervalMs: HOUR }]);
    expect(watch.stalledAt).toBe(at(T0 + 8.5 * HOUR));
    expect(step(history, T0 + 20 * HOUR, new Set(history.map((r) => r.id))).alerts).toEqual([]);
    const back = refresh(T0 + 21 * HOUR);
    expect(kinds(step([back], T0 + 21 * HOUR).alerts)).toEqual(['refresh', 'resumed']);
    expect(watch.stalledAt).toBeUndefined();
    expect(kinds(step([], T0 + 22 * HOUR).alerts)).toEqual([]);
  });

  test('a muted watch keeps its history but says nothing, not even a stall', () => {
    const decision = decideDataflowWatch({ watch: watchOf({ notifyLevel: 'mute' }), refreshes: hourly(5), reported: new Set(), now: new Date(T0 + 30 * HOUR) });
    expect(decision.alerts).toEqual([]);
    expect(decision.update.recentEnds).toHaveLength(5);
  });

  test('a muted watch keeps no stall silently: its end would be told as "refreshing again" once it is no longer muted', () => {
    // Eight hourly refreshes, then 30 hours of silence: a stall for any other level.
    const facts = { refreshes: hourly(8), reported: new Set<string>(), now: new Date(T0 + 40 * HOUR) };
    expect(decideDataflowWatch({ ...facts, watch: watchOf() }).update.stalledAt).toBeDefined();
    const muted = decideDataflowWatch({ ...facts, watch: watchOf({ notifyLevel: 'mute' }) });
    expect(muted.alerts).toEqual([]);
    expect(muted.update).not.toHaveProperty('stalledAt');
  });
});

describe('cursors and polls', () => {
  test('the first query reads a week back; later ones from the cursor less the overlap, a week back at most; the cursor never moves back', () => {
    const now = new Date(T0);
    expect(querySince(undefined, now)).toBe(at(T0 - 7 * 24 * HOUR));
    expect(querySince(at(T0), now)).toBe(at(T0 - 10 * 60_000));
    expect(querySince(at(T0 - 90 * 24 * HOUR), now)).toBe(at(T0 - 7 * 24 * HOUR));
    expect(nextCursor(undefined, [])).toBeUndefined();
    expect(nextCursor(at(T0), [refresh(T0 - HOUR)])).toBe(at(T0));
    expect(nextCursor(at(T0), [refresh(T0 + HOUR), refresh(T0 + 2 * HOUR)])).toBe(at(T0 + 2 * HOUR));
  });

  test('one query per environment, each dataflow asked once; muted watches are polled (they end if deleted), those of a conversation gone or a dataflow deleted are not', () => {
    const groups = dataflowPollGroups([
      watchOf(), watchOf({ conversationId: 'c2' }), watchOf({ dataflowId: OTHER }),
      watchOf({ dataflowId: OTHER, environment: { ...ENV, name: 'env-2' }, notifyLevel: 'mute' }),
      watchOf({ environment: { ...ENV, name: 'env-3' }, goneAt: at(T0) }),
      watchOf({ environment: { ...ENV, name: 'env-4' }, deletedAt: at(T0) }),
    ]);
    expect(groups.map((g) => [g.environment.name, g.dataflowIds, g.watches.length])).toEqual([['env-1', [DATAFLOW, OTHER], 3], ['env-2', [OTHER], 1]]);
  });
});
