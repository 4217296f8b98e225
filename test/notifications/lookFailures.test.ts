import { signInNeeded, unreadable } from '../../src/notifications/lookFailures';
import type { Watch } from '../../src/notifications/watchStore';
import { said as worded } from '../../src/words/words';

const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const WATCH: Watch = { projectName: 'AccSync', conversationId: '19:general', owner: { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' }, notifyLevel: 'all', since: iso(0) };

describe('what a watch\'s conversation is told when a look cannot read its project', () => {
  test('"sign-in needed" is said once and not again while it stands', () => {
    expect(signInNeeded(WATCH, new Date(T0)).map((m) => [m.alert.kind, m.onSent])).toEqual([['signInNeeded', { change: { signInNeededAt: iso(0) } }]]);
    expect(signInNeeded({ ...WATCH, signInNeededAt: iso(0) }, new Date(T0))).toEqual([]);
    expect(unreadable(WATCH, worded('error.why.unreadableTimeout'), new Date(T0)).map((m) => [m.alert.kind, m.onSent])).toEqual([['unreadable', { change: { unreadableAt: iso(0) } }]]);
    expect(unreadable({ ...WATCH, unreadableAt: iso(0) }, worded('error.why.unreadableTimeout'), new Date(T0))).toEqual([]);
  });
});
