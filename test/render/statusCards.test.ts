import type { RunAlert } from '../../src/notifications/watchAlert';
import { approvalHistoryCard } from '../../src/render/approvalCards';
import { projectListCard, runResultCard } from '../../src/render/projectCards';
import { runAlertCard } from '../../src/render/runCards';
import { VERBS } from '../../src/verbs';
import { cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { storedSaidSchema } from '../../src/words/saidSchema';

const alert: RunAlert = {
  projectName: 'AccSync', executionId: 'exec-1', outcome: 'warning', upserts: 1990, errorCount: 2, recordErrors: [], moreErrors: 0,
  startedAt: '2026-12-01T23:54:00.000Z', endedAt: '2026-12-01T23:54:40.000Z', durationMs: 40_000,
  nextRunAt: '2026-12-01T23:55:00.000Z', schedule: 'recurring',
};
const titles = (card: unknown) => ((card as { actions?: Array<{ title: string }> }).actions ?? []).map((a) => a.title);

describe('alerts and status as an admin reads them (issue 12, items 15, 17, 18)', () => {
  test('a run alert says the outcome in words and the next run; after Pause it offers Resume and says "paused"', () => {
    const on = runAlertCard(alert);
    expect(cardText(on)).toMatch(/Status \| finished with errors/);
    expect(cardText(on)).toContain('Next run {{DATE(2026-12-01T23:55:00Z, SHORT)}}');
    expect(titles(on)).toEqual(['Run again', 'Pause schedule', 'Open in admin center']);
    const paused = runAlertCard({ ...alert, schedule: 'paused', nextRunAt: undefined });
    expect(cardProblems(paused)).toEqual([]);
    expect(titles(paused)).toEqual(['Run again', 'Resume schedule', 'Open in admin center']);
    expect(cardText(paused)).toContain('Schedule paused.');
    expect(cardText(paused)).not.toContain('Next run');
  });

  test('the result of "Run now" says its status in words and offers Run again and Schedule', () => {
    const card = runResultCard('AccSync', { id: 'e', status: 'warning', upserts: 1987, errorCount: 13, recordErrors: [], startedAt: '2026-12-01T23:54:00.000Z', endedAt: '2026-12-01T23:54:02.000Z' });
    expect(cardText(card)).toMatch(/Status \| finished with errors/);
    expect(titles(card)).toEqual(['Run again', 'Schedule every 5 minutes']);
    expect(titles(runResultCard('AccSync', { status: 'running' }))).toEqual([]);
  });

  test('a next run announced before the run ended is not shown as the same minute again', () => {
    const stale = runAlertCard({ ...alert, nextRunAt: '2026-12-01T23:54:30.000Z' });
    expect(cardText(stale)).toContain('Next run: due now.');
    expect(cardText(stale)).not.toContain('TIME(2026-12-01T23:54:30Z)');
  });

  test('the status card: Teams dates, words not raw statuses, singular and plural, Run / Pause / Resume per project', () => {
    const card = projectListCard([
      { name: 'Paused one', projectName: 'P1', schedule: { projectName: 'P1', recurrence: { kind: 'recurring', every: 1, unit: 'minutes' }, paused: true },
        lastRun: { id: 'e', projectName: 'P1', status: 'warning', upserts: 1, errorCount: 2, recordErrors: [], submittedAt: '2026-12-01T23:54:00.000Z', startedAt: '2026-12-01T23:54:00.000Z', endedAt: '2026-12-01T23:54:34.023Z' } },
      { name: 'Running one', projectName: 'P2', schedule: { projectName: 'P2', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, paused: false, nextRunAt: '2026-12-01T23:58:34.023Z' } },
      { name: 'Manual one', projectName: 'P3', schedule: { projectName: 'P3', recurrence: { kind: 'manual' }, paused: false } },
    ]);
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('every minute, paused');
    expect(text).not.toMatch(/every 1 minutes|\(paused\)|\bwarning\b|UTC|\d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(text).toContain('finished with errors, 1 upsert, 2 errors ({{DATE(2026-12-01T23:54:34Z, SHORT)}} {{TIME(2026-12-01T23:54:34Z)}})');
    expect(text).toContain('every 5 minutes, next {{DATE(2026-12-01T23:58:34Z, SHORT)}}');
    const sets = JSON.stringify(card);
    const buttons = (card.body as Array<{ items?: Array<{ type: string; actions?: Array<{ title: string; verb: string; data: unknown }> }> }>)
      .flatMap((b) => b.items ?? []).filter((i) => i.type === 'ActionSet').map((s) => s.actions!.map((a) => `${a.title}:${a.verb}:${JSON.stringify(a.data)}`));
    expect(buttons).toEqual([
      [`Run now:${VERBS.runAgain}:{"projectName":"P1"}`, `Resume schedule:${VERBS.resumeSchedule}:{"projectName":"P1","view":"status"}`],
      [`Run now:${VERBS.runAgain}:{"projectName":"P2"}`, `Pause schedule:${VERBS.pauseSchedule}:{"projectName":"P2","view":"status"}`],
      [`Run now:${VERBS.runAgain}:{"projectName":"P3"}`],
    ]);
    expect(sets).not.toContain('${');
  });

  test('history shows moments in the Teams date format, never as ISO text', () => {
    const card = approvalHistoryCard('AccSync', [{ requestId: 'r', projectName: 'AccSync', at: '2026-12-01T23:54:00.000Z', action: 'scheduleSet', detail: storedSaidSchema.parse('every 5 minutes, next run 2026-12-01T23:58:34.023Z') }]);
    expect(cardText(card)).toContain('every 5 minutes, next run {{DATE(2026-12-01T23:58:34Z, SHORT)}} {{TIME(2026-12-01T23:58:34Z)}}');
    expect(cardText(card)).not.toContain('23:58:34.023Z');
  });
});
