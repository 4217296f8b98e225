import { execFileSync } from 'node:child_process';
import { addRecurrence, nextRunTimes, recurrenceMinutes } from '../../src/recurrence/nextRunTimes';
import { describeRecurrence, parseRecurrence, splitProjectAndRecurrence } from '../../src/recurrence/recurrence';
import { ensureBuilt, ROOT } from '../helpers/build';

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

  test('a step back undoes a step, months clamped the same way', () => {
    expect(addRecurrence(new Date('2025-03-30T12:00:00.000Z'), { kind: 'recurring', every: 1, unit: 'days' }, -1).toISOString()).toBe('2025-03-29T12:00:00.000Z');
    expect(addRecurrence(new Date('2025-03-31T10:00:00.000Z'), { kind: 'recurring', every: 1, unit: 'months' }, -1).toISOString()).toBe('2025-02-28T10:00:00.000Z');
    expect(addRecurrence(new Date('2025-01-15T10:00:00.000Z'), { kind: 'recurring', every: 2, unit: 'months' }, -1).toISOString()).toBe('2024-11-15T10:00:00.000Z');
  });

  test('months keep the day of the month, clamped to shorter months', () => {
    expect(addRecurrence(at, { kind: 'recurring', every: 1, unit: 'months' }).toISOString()).toBe('2025-02-28T10:00:00.000Z');
    expect(addRecurrence(at, { kind: 'recurring', every: 2, unit: 'months' }).toISOString()).toBe('2025-03-31T10:00:00.000Z');
  });

  // A Jest worker cannot change its time zone: the built module runs in a node of its own, in Berlin's.
  test('an operator\'s TZ changes nothing: a day is 24 hours across daylight saving time, a month a UTC calendar month', () => {
    ensureBuilt();
    const steps: Array<[string, { every: number; unit: string }]> = [
      ['2025-03-29T12:00:00.000Z', { every: 1, unit: 'days' }], // Berlin moves its clocks forward that night
      ['2025-10-25T12:00:00.000Z', { every: 1, unit: 'days' }], // ... and back
      ['2025-03-29T12:00:00.000Z', { every: 1, unit: 'weeks' }],
      ['2025-01-30T23:30:00.000Z', { every: 1, unit: 'months' }], // already January 31 in Berlin
    ];
    const script = `const { addRecurrence } = require('./dist/src/recurrence/nextRunTimes.js');
      const steps = JSON.parse(process.argv[1]);
      console.log(JSON.stringify([new Date(2025, 0, 1).getTimezoneOffset(), ...steps.map(([at, r]) => addRecurrence(new Date(at), { kind: 'recurring', ...r }).toISOString())]));`;
    const out = execFileSync(process.execPath, ['-e', script, JSON.stringify(steps)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'Europe/Berlin' } });
    expect(JSON.parse(out)).toEqual([-60, '2025-03-30T12:00:00.000Z', '2025-10-26T12:00:00.000Z', '2025-04-05T12:00:00.000Z', '2025-02-28T23:30:00.000Z']);
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
