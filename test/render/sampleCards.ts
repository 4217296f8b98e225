import type { ApprovalRequest } from '../../src/scheduleApprovals/approvalRequest';
import type { RunAlert } from '../../src/notifications/watchAlert';
import { approvalDecidedCard, approvalHistoryCard, approvalRequestCard } from '../../src/render/approvalCards';
import type { AdaptiveCardJson, CardTemplateName } from '../../src/render/cardRenderer';
import { projectListCard, runResultCard } from '../../src/render/projectCards';
import { longRunCard, projectUnreadableCard, runAlertCard, runDigestCard, scheduleStalledCard, signInNeededCard } from '../../src/render/runCards';
import { answeredSetupCard, setupCard } from '../../src/render/setupCards';
import { welcomeCard } from '../../src/render/welcomeCard';
import { RECURRENCE_UNITS } from '../../src/integration/port';
import { ENGLISH, said, type Said, type Words } from '../../src/words/words';
import { dataflowSamples } from './dataflowSamples';

/** What people and services named, as the samples show it: plain by default, hostile in the escape test. */
export interface SampleNames { project: string; person: string; text: string }

/** Every template rendered in the states that show the most, with these names, in these words. */
export function sampleCards(t: SampleNames = { project: 'Contoso accounts', person: 'Ada Admin', text: 'p' }, w: Words = ENGLISH): Array<[CardTemplateName, string, AdaptiveCardJson]> {
  const asGiven = (text: string): Said => said('text.asGiven', { text });
  const request: ApprovalRequest = {
    id: 'req-1', projectName: t.project, recurrence: { kind: 'recurring', every: 5, unit: 'minutes' },
    requestedBy: { aadObjectId: 'ada', name: t.person, userId: '29:ada' }, conversationId: '19:general', status: 'pending',
    requestedAt: '2026-03-01T09:00:00.000Z', expiresAt: '2026-03-04T09:00:00.000Z',
    approverUserIds: ['29:bob'],
    limitWarning: said('limit.near', { after: 46, limit: 50 }), approverNames: [t.person, 'Bob Approver'],
  };

  const alert: RunAlert = {
    projectName: t.project, executionId: 'exec-1', outcome: 'warning', upserts: 1990, errorCount: 40,
    recordErrors: [
      { recordId: 'acc-1', field: 'name', message: 'Name is required', record: { number: 'ACC-000124' } },
      { recordId: t.text, field: t.text, message: t.text, record: { name: t.person, number: t.text } },
      { recordId: 'acc-2', field: 'name', message: '"name" is 200 characters long', record: { name: 'Fabrikam <b>Europe</b> {{DATE(2026-03-01T09:00:00Z)}} [x](https://evil.example) '.repeat(3), number: 'ACC-1' } },
    ], moreErrors: 38,
    startedAt: '2026-03-01T09:00:00.000Z', endedAt: '2026-03-01T09:00:42.000Z', durationMs: 42_000, message: t.text,
    nextRunAt: '2026-03-01T09:05:00.000Z', schedule: 'recurring',
  };

  const errors = <K extends string>(...keys: K[]) => Object.fromEntries(keys.map((k) => [k, said('text.asGiven', { text: { long: `${t.text} ${k}` } })])) as Record<K, Said>;

  return [
    ['approvalRequest', 'approver', approvalRequestCard(request, { viewer: 'approver', approverUserIds: ['29:bob'], now: new Date(request.requestedAt) }, w)],
    ['approvalRequest', 'requester', approvalRequestCard(request, { viewer: 'everyone', approverUserIds: ['29:bob'], notice: said('refusal.notApprover'), now: new Date(request.requestedAt) }, w)],
    ['approvalDecided', 'approved', approvalDecidedCard({ ...request, status: 'approved', decidedBy: { aadObjectId: 'bob', name: 'Bob' }, scheduleState: 'set', scheduledNextRunAt: '2026-03-01T09:05:00.000Z', comment: t.text }, said('approval.alreadyDecided', { by: t.person, status: 'approved' }), w)],
    ['approvalDecided', 'saved with the approver\'s sign-in', approvalDecidedCard({ ...request, status: 'approved', decidedBy: { aadObjectId: 'bob', name: t.person }, scheduleState: 'set', scheduleSignIn: { by: { aadObjectId: 'bob', name: t.person }, insteadOfRequester: 'refused' } }, undefined, w)],
    ['approvalDecided', 'expired', approvalDecidedCard({ ...request, status: 'expired' }, undefined, w)],
    ['approvalDecided', 'kept paused', approvalDecidedCard({ ...request, status: 'approved', decidedBy: { aadObjectId: 'bob', name: t.person }, scheduleState: 'set', keptPaused: { by: { aadObjectId: 'carol', name: t.person }, at: '2026-03-01T09:00:00.000Z' } }, undefined, w)],
    ['approvalDecided', 'not saved yet', approvalDecidedCard({ ...request, status: 'approved', decidedBy: { aadObjectId: 'bob', name: t.person }, scheduleMessage: said('approval.notSavedYet', { why: said('approval.whyNoSignIn', { requester: t.person, approver: t.person }), until: { moment: '2026-03-01T15:00:00.000Z' } }) }, undefined, w)],
    ['approvalDecided', 'not saved', approvalDecidedCard({ ...request, status: 'approved', decidedBy: { aadObjectId: 'bob', name: t.person }, scheduleState: 'failed', scheduleGaveUp: true, scheduleMessage: said('approval.stoppedTrying', { why: asGiven(t.text), hours: 6 }) }, undefined, w)],
    ['approvalDecided', 'refused', approvalDecidedCard({ ...request, status: 'approved', decidedBy: { aadObjectId: 'bob', name: t.person }, scheduleState: 'failed', scheduleMessage: asGiven(t.text) }, undefined, w)],
    ['approvalHistory', 'entries', approvalHistoryCard(t.project, [{ requestId: 'req-1', projectName: t.project, at: '2026-03-01T09:00:00.000Z', action: 'requested', actor: request.requestedBy }, { requestId: 'req-1', projectName: t.project, at: '2026-03-01T09:01:00.000Z', action: 'scheduleSet', detail: said('text.asGiven', { text: { long: 'every 5 minutes, next run 2026-12-01T23:58:34.023Z' } }), signIn: { by: { aadObjectId: 'y', name: t.person }, insteadOfRequester: 'refused' } }, { requestId: 'req-1', projectName: t.project, at: '2026-03-01T09:02:00.000Z', action: 'rejected', actor: { aadObjectId: 'x', name: t.person }, comment: t.text, detail: asGiven(t.text) }], w)],
    ['projectList', 'two projects', projectListCard([
      { name: t.project, schedule: { projectName: t.project, recurrence: { kind: 'recurring', every: 1, unit: 'minutes' }, paused: true } },
      { name: 'B', lastRun: { id: 'e', projectName: 'B', status: 'warning', upserts: 3, errorCount: 1, recordErrors: [], submittedAt: '2026-03-01T09:00:00.000Z', startedAt: '2026-03-01T09:00:00.000Z', endedAt: '2026-03-01T09:00:03.000Z' }, schedule: { projectName: 'B', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, paused: false, nextRunAt: '2026-03-01T09:05:00.000Z' } },
    ], w)],
    ['runResult', 'warning', runResultCard(t.project, { id: 'e', status: 'warning', upserts: 3, errorCount: 1, recordErrors: [{ recordId: 'r1', message: t.text }, ...alert.recordErrors], startedAt: '2026-03-01T09:00:00.000Z', endedAt: '2026-03-01T09:00:03.000Z', message: t.text }, w)],
    ['runResult', 'running', runResultCard(t.project, { status: 'running' }, w)],
    ['runResult', 'no end time', runResultCard(t.project, { id: 'e', status: 'succeeded', upserts: 3, errorCount: 0, recordErrors: [], startedAt: '2026-03-01T09:00:00.000Z' }, w, '2026-03-01T09:00:30.000Z')],
    ['runAlert', 'recurring with more errors', runAlertCard(alert, undefined, false, w)],
    ['runAlert', 'paused', runAlertCard({ ...alert, schedule: 'paused' }, undefined, true, w)],
    ['runAlert', 'no end time', runAlertCard({ ...alert, endedAt: undefined, endedBy: '2026-03-01T09:01:00.000Z', durationMs: undefined }, undefined, false, w)],
    ['runDigest', 'digest', runDigestCard([alert, { ...alert, outcome: 'failed' }], undefined, w)],
    ['scheduleStalled', 'stalled', scheduleStalledCard({ projectName: t.project, recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, lastRunAt: '2026-03-01T09:00:00.000Z', recovered: false }, undefined, w)],
    ['scheduleStalled', 'long run', longRunCard({ projectName: t.project, startedAt: '2026-03-01T09:00:00.000Z', hours: 12 }, undefined, w)],
    ['signInNeeded', 'sign-in', signInNeededCard({ projectName: t.project, ownerName: t.person, ownerId: '00000000-0000-0000-0000-00000000a0a0', more: 0 }, w)],
    ['projectUnreadable', 'unreadable', projectUnreadableCard(t.project, said('error.why.serviceSaid', { text: { long: t.text } }), undefined, w)],
    ['welcome', 'channel', welcomeCard(true, w)],
    ['setupPrerequisites', 'missing', setupCard({ form: 'prerequisites', view: { flowId: 'f', title: said('prereq.missing'), environments: [{ displayName: t.project, dynamics: said('prereq.none'), dataverse: said('prereq.connected', { n: 1 }) }], missing: [{ environment: t.project, connector: 'Dynamics 365', create: 'Dataverse (Legacy)', url: `https://make.powerapps.com/environments/${encodeURIComponent(t.project)}/connections` }], problem: asGiven(t.text), ready: true } }, t.person, w)],
    ['setupConnectionSet', 'with errors', setupCard({ form: 'connectionSet', view: { flowId: 'f', mode: 'new', existingSets: [{ name: 'Set1', from: t.project, to: t.text }], name: t.project, dynamicsChoices: [{ title: said('choice.endpoint', { connection: t.project, environment: t.text }), value: 'a|e' }], dataverseChoices: [{ title: said('choice.endpointDataverse', { connection: t.person, environment: t.text }), value: 'b|e2' }], dynamicsValue: 'a|e', dataverseValue: 'b|e2', filter: t.text, filterMatches: 0, errors: errors('mode', 'name', 'dynamics', 'dataverse'), problem: asGiven(t.text) } }, t.person, w)],
    ['setupProject', 'with errors', setupCard({ form: 'project', view: { flowId: 'f', name: t.project, suggestedName: 'n', templates: [{ name: 't', displayName: t.text }], templateName: 't', templateFilter: t.text, templateMatches: 0, preview: { displayName: t.text, entityMappings: [{ sourceEntity: t.text, destinationEntity: t.project, keys: asGiven(t.person), integrationKey: [], fieldMappings: [], fields: [{ sourceField: t.text, destinationField: t.person }] }] }, connectionSetName: t.project, dynamicsOrganization: t.text, dataverseOrganizationId: t.person, privacyNotice: said('project.privacyNotice'), consent: 'false', errors: errors('name', 'template', 'consent'), problem: asGiven(t.text) } }, t.person, w)],
    ['setupReview', 'created', setupCard({ form: 'review', view: { flowId: 'f', headline: said('review.created'), facts: [{ title: said('review.project'), value: asGiven(t.project) }, { title: said('review.connectionSet'), value: said('review.new', { set: t.text }) }], createTitle: said('review.continue'), problem: asGiven(t.text) } }, t.person, w)],
    ['setupRunOrSchedule', 'suggested', setupCard({ form: 'runOrSchedule', view: { flowId: 'f', projectName: t.project, intro: said('schedule.intro'), every: 5, unit: 'minutes', units: RECURRENCE_UNITS, errors: { every: undefined } } }, t.person, w)],
    ['setupRunOrSchedule', 'bad number', setupCard({ form: 'runOrSchedule', view: { flowId: 'f', projectName: t.project, intro: said('schedule.intro'), every: null, unit: 'minutes', units: RECURRENCE_UNITS, errors: { every: said('form.wholeNumber') }, problem: asGiven(t.text) } }, t.person, w)],
    ['setupAnswered', 'frozen', answeredSetupCard({ stepTitle: said('step.title', { n: 2, total: 5, name: said('step.name', { step: 'connectionSet' }) }), answer: said('answered.next', { chosen: said('answered.newSet', { set: t.text }) }) }, w)],
    ...dataflowSamples(t, w),
    ['serviceProblem', 'problem', setupCard({ form: 'serviceProblem', view: { flowId: 'f', step: 'review', title: said('error.title.transient', { service: 'integrator' }), message: said('text.serviceProblem', { text: { long: t.text } }), signIn: true } }, t.person, w)],
  ];
}

/** Every template rendered in the states that show the most: the input of the card rules test. */
export const SAMPLE_CARDS = sampleCards();
