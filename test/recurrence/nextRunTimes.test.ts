import { addRecurrence, nextRunTimes, recurrenceMinutes } from '../../src/recurrence/nextRunTimes';
import { describeRecurrence, parseRecurrence, splitProjectAndRecurrence } from '../../src/recurrence/recurrence';

const at = new Date('2025-01-31T10:00:00.000Z');

describe('next run times', () => {
  test('three runs, one interval apart, the first one interval after approval', () => {
    expect(nextRunTimes({ kind: 'recurring', every: 5, unit: 'minutes' }, at).map((d) => d.toISOString())).toEqual([
      '2025-01-31T10:05:00.000Z', '2025-01-31T10:10:00.000Z', '2025-01-31T10:15:00.000Z',
    ]);
  });

  test('a manual schedule has no next runs', () => {
    expect(nextRunTimes({ kind: 'manual' }, at)).toEqual([]);
  });

  test('months keep the day of the month, clamped to shorter months', () => {
    expect(addRecurrence(at, { kind: 'recurring', every: 1, unit: 'months' }).toISOString()).toBe('2025-02-28T10:00:00.000Z');
    expect(addRecurrence(at, { kind: 'recurring', every: 2, unit: 'months' }).toISOString()).toBe('2025-03-31T10:00:00.000Z');
  });

  test.each([
    [{ every: 1, unit: 'minutes' }, 1], [{ every: 2, unit: 'hours' }, 120], [{ every: 1, unit: 'days' }, 1440],
    [{ every: 1, unit: 'weeks' }, 10080], [{ every: 1, unit: 'months' }, 31 * 1440],
  ] as const)('%j lasts at most %d minutes', (r, minutes) => {
    expect(recurrenceMinutes({ kind: 'recurring', ...r })).toBe(minutes);
  });
});

describe('recurrence text', () => {
  test.each([
    ['every 5 minutes', { every: 5, unit: 'minutes' }], ['every minute', { every: 1, unit: 'minutes' }],
    ['15 min', { every: 15, unit: 'minutes' }], ['every 2 hrs', { every: 2, unit: 'hours' }],
    ['every day', { every: 1, unit: 'days' }], ['every 3 Weeks', { every: 3, unit: 'weeks' }], ['every month', { every: 1, unit: 'months' }],
  ])('"%s"', (text, expected) => {
    expect(parseRecurrence(text)).toEqual({ kind: 'recurring', ...expected });
  });

  test.each([['every 0 minutes'], ['every fortnight'], ['soon'], ['every -1 days']])('"%s" is not a recurrence', (text) => {
    expect(parseRecurrence(text)).toBeUndefined();
  });

  test('the schedule command splits the project from its recurrence', () => {
    expect(splitProjectAndRecurrence('Contoso accounts every 5 minutes')).toEqual({ project: 'Contoso accounts', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' } });
    expect(splitProjectAndRecurrence('Contoso accounts')).toEqual({ project: 'Contoso accounts' });
    expect(splitProjectAndRecurrence('Every day sync')).toEqual({ project: 'Every day sync' });
  });

  test('descriptions read naturally', () => {
    expect(describeRecurrence({ kind: 'recurring', every: 1, unit: 'hours' })).toBe('every hour');
    expect(describeRecurrence({ kind: 'recurring', every: 5, unit: 'minutes' })).toBe('every 5 minutes');
    expect(describeRecurrence({ kind: 'manual' })).toBe('run manually');
  });
});
