import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { RECURRENCE_EVERY_MAX, RECURRENCE_UNITS, type RecurringRecurrence } from '../../src/integration/port';
import { parseRecurrence, splitProjectAndRecurrence } from '../../src/recurrence/recurrence';
import { approvalDecidedCard } from '../../src/render/approvalCards';
import { forEachNode } from '../../src/render/cardRenderer';
import type { ApprovalRequest } from '../../src/scheduleApprovals/approvalRequest';
import { PROJECT_NAME_MAX, projectNameProblem } from '../../src/setupRules/naming';
import { commandFromSubmit } from '../../src/teams/commandFromSubmit';
import { normalizeName } from '../../src/words/sanitize';
import { ROOT } from '../helpers/build';
import { ENGLISH, Words } from '../../src/words/words';

const GERMAN = new Words('de');

const every = (n: number, unit: RecurringRecurrence['unit'] = 'minutes'): RecurringRecurrence => ({ kind: 'recurring', every: n, unit });

describe('the interval a typed schedule may ask for', () => {
  test.each([['every 1000 minutes', 1000], ['every 1 minute', 1], ['every 1000 months', 1000]])('"%s" is taken', (text, n) => {
    expect(parseRecurrence(text)).toMatchObject({ every: n });
  });

  test.each([['every 1001 minutes'], ['every 1500 minutes'], ['every 100000000000 months'], ['every 0 hours']])('"%s" is not', (text) => {
    expect(parseRecurrence(text)).toBeUndefined();
  });

  test('"schedule AccSync every 1500 minutes" is answered with the limit, not sent to the approvers', () => {
    const { project, recurrence, refused } = splitProjectAndRecurrence('AccSync every 1500 minutes');
    expect({ project, recurrence }).toEqual({ project: 'AccSync', recurrence: undefined });
    expect(ENGLISH.reply(refused!)).toBe('"AccSync" cannot run every 1500 minutes: the service takes an interval of 1 to 1000. Say for example "schedule AccSync every 5 minutes", or count in a larger unit ("hours", "days", "weeks", "months").');
    expect(GERMAN.reply(refused!)).toMatch(/^"AccSync" kann nicht alle 1500 Minuten laufen: der Dienst nimmt einen Abstand von 1 bis 1000\./);
  });

  test('a number too large for arithmetic is answered as typed', () => {
    const { refused } = splitProjectAndRecurrence('AccSync every 100000000000000000000000 months');
    expect(ENGLISH.reply(refused!)).toContain('cannot run every 100000000000000000000000 months');
  });

  test('the setup card offers the same range as the command takes', () => {
    const card = JSON.parse(fs.readFileSync(path.join(ROOT, 'cards', 'setupRunOrSchedule.json'), 'utf8'));
    const inputs: Array<Record<string, unknown>> = [];
    forEachNode(card, (node) => { if (node.id === 'every') inputs.push(node); });
    expect(inputs.map((i) => [i.min, i.max])).toEqual([[1, RECURRENCE_EVERY_MAX]]);
  });
});

describe('a project whose name says "every"', () => {
  test('"schedule Sync every day every 5 minutes" schedules "Sync every day"', () => {
    expect(splitProjectAndRecurrence('Sync every day every 5 minutes')).toEqual({ project: 'Sync every day', recurrence: every(5) });
    expect(splitProjectAndRecurrence('Sync every every hour')).toEqual({ project: 'Sync every', recurrence: every(1, 'hours') });
  });

  test('without a recurrence after the name, the command asks how often', () => {
    expect(splitProjectAndRecurrence('Sync every day sync')).toEqual({ project: 'Sync every day sync' });
  });

  test('"Sync every day every 1500 minutes" is answered with the limit for "Sync every day"', () => {
    expect(splitProjectAndRecurrence('Sync every day every 1500 minutes')).toMatchObject({ project: 'Sync every day', refused: { id: 'approval.intervalLimit' } });
  });
});

/** Names the service can hold and a typed command can carry (the command reads runs of spaces as one), up to the longest. */
const projectName = fc.array(
  fc.oneof(fc.constantFrom('every', 'Every', 'day', '5', 'minutes', 'hour', 'every 5 minutes', 'schedule'), fc.string({ minLength: 1, maxLength: 12 })),
  { minLength: 1, maxLength: 8 },
).chain((words) => fc.constantFrom(words.join(' '), words.join(' ').repeat(30)))
  .map((text) => normalizeName(text).slice(0, PROJECT_NAME_MAX).trim())
  .filter((name) => name.length > 0 && normalizeName(name) === name && projectNameProblem(name) === undefined);

const recurrence = fc.record({ every: fc.integer({ min: 1, max: RECURRENCE_EVERY_MAX }), unit: fc.constantFrom(...RECURRENCE_UNITS) }).map(({ every: n, unit }) => every(n, unit));

/** The command of the "Ask again" button on a request's card, as Teams sends it back. */
function askAgainSubmit(projectName: string, r: RecurringRecurrence): unknown {
  const request: ApprovalRequest = {
    id: 'r1', projectName, recurrence: r, requestedBy: { aadObjectId: 'ada', name: 'Ada' }, conversationId: '19:general',
    status: 'expired', requestedAt: '2025-03-01T09:00:00.000Z', expiresAt: '2025-03-04T09:00:00.000Z', approverUserIds: [],
  };
  const data: unknown[] = [];
  forEachNode(approvalDecidedCard(request), (node) => { if (node.type === 'Action.Submit') data.push(node.data); });
  expect(data).toHaveLength(1);
  return data[0];
}

test('any project, whatever its name says, is asked for again by the "Ask again" button of its expired request', () => {
  fc.assert(fc.property(projectName, recurrence, (name, r) => {
    const command = commandFromSubmit(askAgainSubmit(name, r));
    expect(command.name).toBe('schedule');
    expect(splitProjectAndRecurrence(command.name === 'schedule' ? command.project : '')).toEqual({ project: name, recurrence: r });
  }), { numRuns: 500 });
});
