import { scheduleAsOf } from '../../src/notifications/scheduleAsOf';

const every5: Parameters<typeof scheduleAsOf>[0] = { projectName: 'A', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, paused: false, nextRunAt: '2026-12-02T10:00:00.000Z' };

describe('a schedule read earlier, carried forward', () => {
  test('the next run is the first one after now, stepped by the recurrence', () => {
    expect(scheduleAsOf(every5, new Date('2026-12-02T10:12:00Z')).nextRunAt).toBe('2026-12-02T10:15:00.000Z');
    expect(scheduleAsOf(every5, new Date('2026-12-02T09:59:00Z')).nextRunAt).toBe('2026-12-02T10:00:00.000Z');
  });

  test('paused, manual or unannounced schedules are left as read', () => {
    const now = new Date('2026-12-02T11:00:00Z');
    expect(scheduleAsOf({ ...every5, paused: true }, now)).toEqual({ ...every5, paused: true });
    expect(scheduleAsOf({ ...every5, nextRunAt: undefined }, now).nextRunAt).toBeUndefined();
    expect(scheduleAsOf({ projectName: 'A', recurrence: { kind: 'manual' }, paused: false }, now).nextRunAt).toBeUndefined();
  });
});
