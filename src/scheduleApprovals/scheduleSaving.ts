import { type DataIntegration, isDataIntegrationError, type Schedule } from '../integration/port';
import { isTransient, needsSignIn, refusesTheBot, unreadableWhy } from '../integration/errorCatalogue';
import { sameAadId } from '../person';
import { describeRecurrence } from '../recurrence/recurrence';
import type { ApprovalRequest, SignInUsed } from './approvalRequest';
import type { SchedulingResult } from './approvalStore';
import { said, type Said } from '../words/words';

/** What one attempt to save an approved schedule came to: a result to record, or not saved for a reason that may pass (`why`, a clause). */
export type Attempt = Exclude<SchedulingResult, { state: 'retry' }> | { state: 'notSaved'; why: Said; signIn?: SignInUsed };

/** What putting a paused project back on pause came to (no client: the save left it paused). */
export type KeepPaused = (projectName: string, resumedBySaving: DataIntegration | undefined) => Promise<{ keptPaused?: ApprovalRequest['keptPaused']; message?: Said }>;

/**
 * The sign-ins an approved schedule can be saved with: the requester's (undefined: she has none the bot can reach),
 * else the approver's, looked up only when hers cannot save it.
 */
export interface SignIns {
  requester: DataIntegration | undefined;
  approver: () => Promise<DataIntegration | undefined>;
}

/**
 * One attempt to save an approved schedule, with the requester's sign-in, else the approver's: he consented to this
 * very schedule, so when the service refuses her sign-in (401), does not let it do this (403), or she has none, his
 * is used, and the result says whose it was (the outcome and the trail tell it). Only an answer of the service that
 * refuses the schedule itself (a validation, conflict or not-found answer, or a 403 to every sign-in there is) fails
 * it for good. Without an answer (time-out, network, 5xx, throttling, a garbled answer) the schedule is read back: if
 * the service holds the approved one, it was saved. Otherwise, and without a sign-in that works, it is not saved yet,
 * and the reason names each sign-in's own problem (none, refused, not allowed), so the right person signs in.
 */
export async function saveSchedule(request: ApprovalRequest, signIns: SignIns, keepPaused: KeepPaused): Promise<Attempt> {
  const { requestedBy: requester, decidedBy: approver } = request;
  const hers = signIns.requester ? await saveWith(request, signIns.requester, keepPaused) : SIGNED_OUT;
  if (!('problem' in hers)) return { ...hers, signIn: { by: requester } };
  const other = approver && !sameAadId(approver.aadObjectId, requester.aadObjectId) ? approver : undefined;
  const client = other && (await signIns.approver());
  const his = other && client ? await saveWith(request, client, keepPaused) : SIGNED_OUT;
  if (!('problem' in his)) return { ...his, signIn: { by: other!, insteadOfRequester: hers.problem } };
  // Nobody's sign-in saved it. A 403 is final once every sign-in there is got one; otherwise someone may sign in (again):
  // she, merely signed out or with a sign-in the service refused (401), may well be allowed to save her own project.
  if (his.problem === 'forbidden' && hers.problem === 'forbidden') return refusal(his.err, { by: other!, insteadOfRequester: hers.problem });
  if (!other && hers.problem === 'forbidden') return refusal(hers.err, { by: requester });
  // She approved her own request (ALLOW_SELF_APPROVAL): hers is the only sign-in, so the reason names her once.
  if (!other && approver) return { state: 'notSaved', why: said('approval.whyOwnSignIn', { why: hers.problem, name: requester.name }) };
  if (!other || (hers.problem === 'signedOut' && his.problem === 'signedOut')) return notSignedIn(request);
  const names = { requester: requester.name, approver: other.name };
  if (his.problem === 'signedOut') return { state: 'notSaved', why: said('approval.whySignInRefused', { why: hers.problem, ...names }) };
  return { state: 'notSaved', why: said('approval.whyApproverSignInFailed', { hers: hers.problem, his: his.problem, ...names }) };
}

/** A sign-in that could not do it: none (`signedOut`), refused by the service (401), or not allowed to (403). */
type SignInProblem = { problem: 'signedOut'; err?: undefined } | { problem: 'refused' | 'forbidden'; err: unknown };
const SIGNED_OUT: SignInProblem = { problem: 'signedOut' };

/** One attempt with one sign-in: what came of it, or the sign-in's problem (then nothing was saved: another sign-in may try). */
async function saveWith(request: ApprovalRequest, integration: DataIntegration, keepPaused: KeepPaused): Promise<Attempt | SignInProblem> {
  let before: Schedule | undefined;
  try {
    before = await integration.getSchedule(request.projectName);
    const schedule = await integration.setSchedule(request.projectName, request.recurrence);
    const kept = before.paused ? await keepPaused(request.projectName, schedule.paused ? undefined : integration) : {};
    return { state: 'set', nextRunAt: before.paused ? undefined : schedule.nextRunAt, ...kept };
  } catch (err) {
    if (needsSignIn(err)) return isDataIntegrationError(err, 'unauthorized') ? { problem: 'refused', err } : SIGNED_OUT;
    // A 403 to the person's sign-in (not to the bot's own identity, which every sign-in shares): hers may lack the permission, his may not.
    if (isDataIntegrationError(err, 'forbidden') && !refusesTheBot(err)) return { problem: 'forbidden', err };
    if (refusedByService(err)) return refusal(err);
    return (await savedAfterAll(request, integration, before, keepPaused)) ?? { state: 'notSaved', why: unreadableWhy(err) };
  }
}

function refusal(err: unknown, signIn?: SignInUsed): Attempt {
  return { state: 'failed', message: said('text.asGiven', { text: { long: reasonOf(err) } }), signIn };
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
