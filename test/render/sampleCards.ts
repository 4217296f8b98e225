import type { ApprovalRequest } from '../../src/scheduleApprovals/approvalRequest';
import type { RunAlert } from '../../src/notifications/watchDecision';
import { approvalDecidedCard, approvalHistoryCard, approvalRequestCard } from '../../src/render/approvalCards';
import type { AdaptiveCardJson, CardTemplateName } from '../../src/render/cardRenderer';
import { projectListCard, runResultCard } from '../../src/render/projectCards';
import { projectUnreadableCard, runAlertCard, runDigestCard, scheduleStalledCard, signInNeededCard } from '../../src/render/runCards';
import { answeredSetupCard, setupCard } from '../../src/render/setupCards';
import { welcomeCard } from '../../src/render/welcomeCard';
import { RECURRENCE_UNITS } from '../../src/integration/port';

/** What people and services named, as the samples show it: plain by default, hostile in the escape test. */
export interface SampleNames { project: string; person: string; text: string }

/** Every template rendered in the states that show the most, with these names. */
export function sampleCards(t: SampleNames = { project: 'Contoso accounts', person: 'Ada Admin', text: 'p' }): Array<[CardTemplateName, string, AdaptiveCardJson]> {
  const request: ApprovalRequest = {
    id: 'req-1', projectName: t.project, recurrence: { kind: 'recurring', every: 5, unit: 'minutes' },
    requestedBy: { aadObjectId: 'ada', name: t.person, userId: '29:ada' }, conversationId: '19:general', status: 'pending',
    requestedAt: '2026-03-01T09:00:00.000Z', expiresAt: '2026-03-04T09:00:00.000Z',
    nextRunTimes: ['2026-03-01T09:05:00.000Z'], approverUserIds: ['29:bob'], approverNames: ['Bob Approver'],
    limitWarning: 'This will be scheduled project 46 of the 50 a tenant may have.',
  };

  const alert: RunAlert = {
    projectName: t.project, executionId: 'exec-1', outcome: 'warning', upserts: 1990, errorCount: 40,
    recordErrors: [
      { recordId: 'acc-1', field: 'name', message: 'Name is required', record: { number: 'ACC-000124' } },
      { recordId: 'acc-2', field: 'name', message: '"name" is 200 characters long', record: { name: 'Fabrikam <b>Europe</b> {{DATE(2026-03-01T09:00:00Z)}} [x](https://evil.example) '.repeat(3), number: 'ACC-1' } },
    ], moreErrors: 38,
    startedAt: '2026-03-01T09:00:00.000Z', endedAt: '2026-03-01T09:00:42.000Z', durationMs: 42_000,
    nextRunAt: '2026-03-01T09:05:00.000Z', schedule: 'recurring',
  };

  const errors = <K extends string>(...keys: K[]) => Object.fromEntries(keys.map((k) => [k, `Fix the ${k}.`])) as Record<K, string>;

  return [
    ['approvalRequest', 'approver', approvalRequestCard(request, { viewer: 'approver', approverUserIds: ['29:bob'] })],
    ['approvalRequest', 'requester', approvalRequestCard(request, { viewer: 'everyone', approverUserIds: ['29:bob'] })],
    ['approvalDecided', 'approved', approvalDecidedCard({ ...request, status: 'approved', decidedBy: { aadObjectId: 'bob', name: 'Bob' }, scheduleState: 'set', scheduledNextRunAt: '2026-03-01T09:05:00.000Z', comment: t.text }, 'notice')],
    ['approvalDecided', 'expired', approvalDecidedCard({ ...request, status: 'expired' })],
    ['approvalHistory', 'entries', approvalHistoryCard(t.project, [{ requestId: 'req-1', projectName: t.project, at: '2026-03-01T09:00:00.000Z', action: 'requested', actor: request.requestedBy }, { requestId: 'req-1', projectName: t.project, at: '2026-03-01T09:01:00.000Z', action: 'scheduleSet', detail: 'every 5 minutes, next run 2026-12-01T23:58:34.023Z' }])],
    ['projectList', 'two projects', projectListCard([
      { name: t.project, schedule: { projectName: t.project, recurrence: { kind: 'recurring', every: 1, unit: 'minutes' }, paused: true } },
      { name: 'B', lastRun: { id: 'e', projectName: 'B', status: 'warning', upserts: 3, errorCount: 1, recordErrors: [], submittedAt: '2026-03-01T09:00:00.000Z', startedAt: '2026-03-01T09:00:00.000Z', endedAt: '2026-03-01T09:00:03.000Z' }, schedule: { projectName: 'B', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, paused: false, nextRunAt: '2026-03-01T09:05:00.000Z' } },
    ])],
    ['runResult', 'warning', runResultCard(t.project, { id: 'e', status: 'warning', upserts: 3, errorCount: 1, recordErrors: [{ recordId: 'r1', message: t.text }, ...alert.recordErrors], startedAt: '2026-03-01T09:00:00.000Z', endedAt: '2026-03-01T09:00:03.000Z' })],
    ['runResult', 'running', runResultCard(t.project, { status: 'running' })],
    ['runAlert', 'recurring with more errors', runAlertCard(alert)],
    ['runAlert', 'paused', runAlertCard({ ...alert, schedule: 'paused' })],
    ['runDigest', 'digest', runDigestCard([alert, { ...alert, outcome: 'failed' }])],
    ['scheduleStalled', 'stalled', scheduleStalledCard({ projectName: t.project, recurrenceText: 'every 5 minutes', lastRunAt: '2026-03-01T09:00:00.000Z', recovered: false })],
    ['signInNeeded', 'sign-in', signInNeededCard(t.project, t.person)],
    ['projectUnreadable', 'unreadable', projectUnreadableCard(t.project, 'the Data Integration service is not answering')],
    ['welcome', 'channel', welcomeCard(true)],
    ['setupPrerequisites', 'missing', setupCard({ form: 'prerequisites', view: { flowId: 'f', title: 'Some connections are missing', environments: [{ displayName: 'Sales', dynamics: 'none', dataverse: '1 connected' }], missing: [{ environment: 'Sales', connector: 'Dynamics 365', create: 'Dataverse (Legacy)', url: 'https://make.powerapps.com' }], problem: 'p', ready: true } })],
    ['setupConnectionSet', 'with errors', setupCard({ form: 'connectionSet', view: { flowId: 'f', mode: 'new', existingSets: [{ name: 'Set1', summary: 'Sales → CDS2' }], name: 'n', dynamicsChoices: [{ title: 'a', value: 'a|e' }], dataverseChoices: [{ title: 'b', value: 'b|e2' }], dynamicsValue: 'a|e', dataverseValue: 'b|e2', errors: errors('mode', 'name', 'dynamics', 'dataverse'), problem: 'p' } })],
    ['setupProject', 'with errors', setupCard({ form: 'project', view: { flowId: 'f', name: 'n', suggestedName: 'n', templates: [{ name: 't', displayName: 'T' }], templateName: 't', preview: { displayName: 'T', entityMappings: [] }, connectionSetName: 'Set1', dynamicsOrganization: 'org', dataverseOrganizationId: 'id', privacyNotice: 'pn', consent: 'false', errors: errors('name', 'template', 'consent'), problem: 'p' } })],
    ['setupReview', 'created', setupCard({ form: 'review', view: { flowId: 'f', headline: 'h', facts: [{ title: 'Project', value: t.project }], createTitle: 'Continue', problem: '' } })],
    ['setupRunOrSchedule', 'suggested', setupCard({ form: 'runOrSchedule', view: { flowId: 'f', projectName: t.project, intro: 'i', every: 5, unit: 'minutes', units: RECURRENCE_UNITS, errors: { every: '' }, problem: '' } })],
    ['setupRunOrSchedule', 'bad number', setupCard({ form: 'runOrSchedule', view: { flowId: 'f', projectName: t.project, intro: 'i', every: null, unit: 'minutes', units: RECURRENCE_UNITS, errors: { every: 'Enter a whole number from 1 to 1000.' }, problem: '' } })],
    ['setupAnswered', 'frozen', answeredSetupCard('Step 2 of 5: connection set', `Answered: ${t.text}`)],
    ['serviceProblem', 'problem', setupCard({ form: 'serviceProblem', view: { flowId: 'f', step: 'review', title: 't', message: 'm' } })],
  ];
}

/** Every template rendered in the states that show the most: the input of the card rules test. */
export const SAMPLE_CARDS = sampleCards();
