import type { ApprovalRequest } from '../../src/scheduleApprovals/approvalRequest';
import type { RunAlert } from '../../src/notifications/watchAlert';
import { approvalDecidedCard } from '../../src/render/approvalCards';
import type { AdaptiveCardJson, CardTemplateName } from '../../src/render/cardRenderer';
import { dataflowAlertCard } from '../../src/render/dataflowCards';
import { runResultCard } from '../../src/render/projectCards';
import { runAlertCard, runDigestCard, scheduleStalledCard } from '../../src/render/runCards';
import { refreshOutcomeOf } from '../../src/integration/port';
import { said } from '../../src/words/words';
import { SAMPLE_CARDS } from './sampleCards';

type Sample = [CardTemplateName, string, AdaptiveCardJson];

/**
 * Every card template in every state that picks a different colour (each run outcome, each decision, each
 * dataflow alert), beside the samples of the card rules test: what the theme contrast test renders.
 */
export function colourSamples(): Sample[] {
  const ended = { startedAt: '2026-03-01T09:00:00.000Z', endedAt: '2026-03-01T09:00:42.000Z' };
  const alert: RunAlert = {
    projectName: 'Contoso accounts', executionId: 'exec-2', outcome: 'succeeded', upserts: 12, errorCount: 0, recordErrors: [], moreErrors: 0,
    ...ended, durationMs: 42_000, nextRunAt: '2026-03-01T09:05:00.000Z', schedule: 'recurring',
  };
  const request: ApprovalRequest = {
    id: 'req-2', projectName: 'Contoso accounts', recurrence: { kind: 'recurring', every: 1, unit: 'hours' },
    requestedBy: { aadObjectId: 'ada', name: 'Ada Admin', userId: '29:ada' }, conversationId: '19:general', status: 'approved',
    requestedAt: '2026-03-01T09:00:00.000Z', expiresAt: '2026-03-04T09:00:00.000Z', approverUserIds: ['29:bob'],
    decidedBy: { aadObjectId: 'bob', name: 'Bob Approver' }, decidedAt: '2026-03-01T09:30:00.000Z',
  };
  const dataflow = {
    dataflowId: 'df-2', dataflowName: 'Accounts dataflow',
    environment: { name: 'env-1', displayName: 'Contoso', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' },
  };
  const refreshed = (status: string) => ({ kind: 'refresh' as const, ...dataflow, refresh: { id: 'r2', dataflowId: 'df-2', status, outcome: refreshOutcomeOf(status), ...ended, errorInfo: 'Credentials expired' } });

  const variants: Sample[] = [
    ['runResult', 'succeeded', runResultCard('Contoso accounts', { status: 'succeeded', upserts: 12, errorCount: 0, ...ended })],
    ['runResult', 'finished with errors', runResultCard('Contoso accounts', { status: 'warning', upserts: 10, errorCount: 2, ...ended, recordErrors: [{ recordId: 'acc-7', field: 'name', message: 'Name is required', record: { number: 'ACC-000124' } }] })],
    ['runResult', 'failed', runResultCard('Contoso accounts', { status: 'failed', upserts: 0, errorCount: 0, ...ended, message: 'The source refused the sign-in' })],
    ['runResult', 'queued', runResultCard('Contoso accounts', { status: 'queued' })],
    ...(['succeeded', 'warning', 'failed'] as const).map((outcome): Sample => ['runAlert', outcome, runAlertCard({ ...alert, outcome, message: outcome === 'failed' ? 'The source refused the sign-in' : undefined })]),
    ['runDigest', 'all succeeded', runDigestCard([alert, { ...alert, executionId: 'exec-3' }])],
    ['runDigest', 'worst a warning', runDigestCard([alert, { ...alert, executionId: 'exec-3', outcome: 'warning', errorCount: 1 }])],
    ['scheduleStalled', 'recovered', scheduleStalledCard({ projectName: 'Contoso accounts', recurrence: request.recurrence, lastRunAt: ended.endedAt, recovered: true })],
    ['approvalDecided', 'scheduled', approvalDecidedCard({ ...request, scheduleState: 'set', scheduledNextRunAt: '2026-03-01T10:00:00.000Z' })],
    ['approvalDecided', 'scheduled with a message', approvalDecidedCard({ ...request, scheduleState: 'set', scheduleMessage: said('text.asGiven', { text: 'The schedule starts tomorrow' }) })],
    ['approvalDecided', 'saving', approvalDecidedCard(request)],
    ['approvalDecided', 'rejected', approvalDecidedCard({ ...request, status: 'rejected', comment: 'Not during month end' })],
    ['dataflowAlert', 'succeeded', dataflowAlertCard(refreshed('Success'))],
    ['dataflowAlert', 'cancelled', dataflowAlertCard(refreshed('Cancelled'))],
  ];
  return [...SAMPLE_CARDS, ...variants];
}
