import { type DataIntegration, isDataIntegrationError, type Schedule } from '../integration/port';
import { isTransient, needsSignIn, unreadableWhy } from '../integration/errorCatalogue';
import { describeRecurrence } from '../recurrence/recurrence';
import type { ApprovalRequest } from './approvalRequest';
import type { SchedulingResult } from './approvalStore';
import { said, type Said } from '../words/words';

/** What one attempt to save an approved schedule came to: a result to record, or not saved for a reason that may pass (`why`, a clause). */
export type Attempt = Exclude<SchedulingResult, { state: 'retry' }> | { state: 'notSaved'; why: Said };

/** What putting a paused project back on pause came to (no client: the save left it paused). */
export type KeepPaused = (projectName: string, resumedBySaving: DataIntegration | undefined) => Promise<{ keptPaused?: ApprovalRequest['keptPaused']; message?: Said }>;

/**
 * One attempt to save an approved schedule. Only an answer of the service that refuses it (a validation, conflict,
 * not-found or forbidden answer) fails it for good. Without an answer (time-out, network, 5xx, throttling, a garbled
 * answer) the schedule is read back: if the service holds the approved one, it was saved. Otherwise, and without
 * anybody's sign-in, it is not saved yet.
 */
export async function saveSchedule(request: ApprovalRequest, integration: DataIntegration | undefined, keepPaused: KeepPaused): Promise<Attempt> {
  if (!integration) return notSignedIn(request);
  let before: Schedule | undefined;
  try {
    before = await integration.getSchedule(request.projectName);
    const schedule = await integration.setSchedule(request.projectName, request.recurrence);
    const kept = before.paused ? await keepPaused(request.projectName, schedule.paused ? undefined : integration) : {};
    return { state: 'set', nextRunAt: before.paused ? undefined : schedule.nextRunAt, ...kept };
  } catch (err) {
    if (needsSignIn(err)) return notSignedIn(request);
    if (refusedByService(err)) return { state: 'failed', message: said('text.asGiven', { text: { long: reasonOf(err) } }) };
    return (await savedAfterAll(request, integration, before, keepPaused)) ?? { state: 'notSaved', why: unreadableWhy(err) };
  }
}

/** The service's own words for a refusal: its validation issues, else its message. */
export function reasonOf(err: unknown): string {
  return isDataIntegrationError(err) && err.validationIssues.length > 0 ? err.validationIssues.map((i) => i.message).join(' ') : err instanceof Error ? err.message : String(err);
}

/** An answer of the service that will not change by asking again (a garbled answer says nothing of what it did). */
function refusedByService(err: unknown): boolean {
  return isDataIntegrationError(err) && !isTransient(err) && err.code !== 'malformed_response';
}

function notSignedIn(request: ApprovalRequest): Attempt {
  return { state: 'notSaved', why: said('approval.whyNoSignIn', { requester: request.requestedBy.name, approver: request.decidedBy?.name ?? said('approval.an') }) };
}

/** After no answer: whether the service saved the approved schedule after all (read back; undefined when not, or unreadable). */
async function savedAfterAll(request: ApprovalRequest, integration: DataIntegration, before: Schedule | undefined, keepPaused: KeepPaused): Promise<Attempt | undefined> {
  const now = await integration.getSchedule(request.projectName).catch(() => undefined);
  if (!now || describeRecurrence(now.recurrence) !== describeRecurrence(request.recurrence)) return undefined;
  const kept = before?.paused ? await keepPaused(request.projectName, now.paused ? undefined : integration) : {};
  return { state: 'set', nextRunAt: before?.paused || now.paused ? undefined : now.nextRunAt, ...kept };
}
