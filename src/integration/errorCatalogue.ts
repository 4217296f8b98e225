import { ACCESS_REFUSED, DataIntegrationError, DataIntegrationErrorCode, isDataIntegrationError } from './errors';
import { said, type MessageId, type Said } from '../words/words';

/** How a service failure is told to a person: what happened, and the next step (message ids of src/words). */
export interface ErrorAdvice {
  /** One line naming what happened, without jargon. */
  title: Said;
  /** The next step the person can take. */
  next: Said;
  /** The same as `title`, as a clause inside "I could not …: <why>". */
  why?: Said;
}

const advice = (title: MessageId, next: MessageId, why?: MessageId): ErrorAdvice => ({ title: said(title), next: said(next), why: why && said(why) });
const SIGN_IN = advice('error.title.signIn', 'error.next.signIn', 'error.why.signIn');
const TRANSIENT = advice('error.title.transient', 'error.next.transient', 'error.why.transient');
// During an outage each answer says whether anything changed and when to try again (issue 28).
/** A time-out: the request may have reached the service, so the person checks before trying again. */
const UNCERTAIN = advice('error.title.transient', 'error.next.uncertain', 'error.why.transient');
/** A write the service failed (a 5xx, a reset) after it may have received it: "nothing was changed" would be a guess. */
const MAYBE_DONE = advice('error.title.maybeDone', 'error.next.maybeDone', 'error.why.maybeDone');

/**
 * The one catalogue: each error code of the port, what to say and what to do next.
 *
 * Only failures a person can meet in a conversation are here. The other error types stay with the
 * code that throws them, because nobody in a conversation ever sees them:
 * - `ConfigError` (config.ts) and `AzureStateError` (storage/azure) stop the process at start and are
 *   read by the operator who set it up, one line naming every bad key or refused role;
 * - `DeliveryError` (notifications/outbound.ts) and `OutboundDeadlineError` (teams/outboundDeadline.ts)
 *   are the Bot Connector refusing or not answering a send: the sender retries, forgets a conversation
 *   that is gone, and logs; the alert is found again by the next poll;
 * - `ETagConflictError` (storage/stateStores.ts) is a lost race on a write, retried or answered as
 *   "already done" by the caller.
 */
const CATALOGUE: Record<DataIntegrationErrorCode, ErrorAdvice> = {
  validation: advice('error.title.validation', 'error.next.validation'),
  conflict: advice('error.title.conflict', 'error.next.conflict'),
  not_found: advice('error.title.notFound', 'error.next.notFound', 'error.why.notFound'),
  unauthorized: SIGN_IN,
  no_token: SIGN_IN,
  forbidden: advice('error.title.forbidden', 'error.next.forbidden'),
  throttled: TRANSIENT,
  server_error: TRANSIENT,
  timeout: UNCERTAIN,
  network: TRANSIENT,
  malformed_response: advice('error.title.malformed', 'error.next.malformed', 'error.why.malformed'),
  refused_address: advice('error.title.refusedAddress', 'error.next.refusedAddress', 'error.why.refusedAddress'),
  no_dataverse: advice('error.title.noDataverse', 'error.next.noDataverse'),
  http_error: advice('error.title.http', 'error.next.http'),
};

/**
 * The bot's own identity refused or given no token (Teams mode: BAP and Power Apps, or Dataverse): the person's
 * sign-in is not what failed, so they are not sent to sign in; an admin must register the bot (deploy.md).
 */
const BOT_REFUSED = {
  adminApis: advice('error.title.botRefusedAdmin', 'error.next.botRefusedAdmin', 'error.why.botRefusedAdmin'),
  dataverse: advice('error.title.botRefusedDataverse', 'error.next.botRefusedDataverse', 'error.why.botRefusedDataverse'),
};

/** True when a service refused the bot's own identity (or it got no token): an admin's to fix, not the person's. */
export function refusesTheBot(err: unknown): boolean {
  return isDataIntegrationError(err) && err.tokenOf === 'bot' && ACCESS_REFUSED.has(err.code);
}

/** What to say about a service failure; its words name the service that failed (`service` in the catalogue). */
export function adviceFor(err: DataIntegrationError): ErrorAdvice {
  if (refusesTheBot(err)) return err.service === 'dataverse' ? BOT_REFUSED.dataverse : BOT_REFUSED.adminApis;
  const advice = CATALOGUE[err.code];
  return naming(err.mayHaveActed && advice === TRANSIENT ? MAYBE_DONE : advice, err);
}

/** The advice's words told which service failed: Dataverse and the Power Platform are not "Data Integration". */
function naming({ title, next, why }: ErrorAdvice, { service }: DataIntegrationError): ErrorAdvice {
  const named = (s: Said): Said => said(s.id, { ...s.params, service });
  return { title: named(title), next: named(next), why: why && named(why) };
}

/** The one answer to "may trying again later work?": the client decides it per failure (throttling, 5xx, time-out, network). */
export function isTransient(err: DataIntegrationError): boolean {
  return err.retryable;
}

/** True when the failure means the person must sign in (again). */
export function needsSignIn(err: unknown): boolean {
  return isDataIntegrationError(err) && !refusesTheBot(err) && CATALOGUE[err.code] === SIGN_IN;
}

/**
 * What happened, as a sentence without its full stop: the catalogue's title for a transient failure, a
 * missing sign-in or something not found; else the service's own words (a refusal names what to correct).
 */
export function explain(err: DataIntegrationError): Said {
  const advice = adviceFor(err);
  return isTransient(err) || advice.why ? advice.title : said('text.asGiven', { text: { long: err.message.replace(/\.$/, '') } });
}

/**
 * The sentence for a failed action (anything but a DataIntegrationError is rethrown), e.g. `I could not pause the schedule of "X": <why>. <next step>`.
 * A transient failure names no service detail; a refusal quotes the service's own words (as outside text, escaped where it lands).
 */
export function failureText(err: unknown, what: Said): Said {
  if (!isDataIntegrationError(err)) throw err;
  return said('error.failed', { what, why: whyOf(err), next: adviceFor(err).next });
}

/** An approval that landed on a paused project: the schedule is saved and stays paused (who paused it, and when, if known). */
export function keptPausedText(who: Said | string | undefined, when: string | undefined): Said {
  if (!who) return said('approval.keptPaused');
  return when ? said('approval.keptPausedByOn', { by: who, when: { moment: when } }) : said('approval.keptPausedBy', { by: who });
}

/** Why a look at a project failed, as a clause: "the Data Integration service is not answering". */
export function unreadableWhy(err: unknown): Said {
  if (!isDataIntegrationError(err)) return said('error.why.unreadableTimeout');
  if (err.code === 'not_found') return said('error.why.unreadableNotFound');
  return whyOf(err);
}

/**
 * Why a watched environment's dataflow refreshes could not be read, and what to do: the note a conversation gets once
 * the failure lasts (notifications/dataflowPoller.ts). The project's words of unreadableWhy would be wrong here (a 404 is
 * the environment or its dataflow tables, not "the project"), and "try again in a minute" is nothing to do: the bot
 * keeps trying by itself. An answer the wire schema rejects is said as such, whatever the service's own message.
 */
export function dataflowsUnreadable(err: unknown): { why: Said; next: Said } {
  const check = said('dataflow.unreadable.checkEnvironment');
  if (!isDataIntegrationError(err)) return { why: said('error.why.transient', { service: 'dataverse' }), next: check };
  // The bot reads dataflows with its own identity only, also where its token provider does not say so (local mode).
  if (ACCESS_REFUSED.has(err.code)) return { why: BOT_REFUSED.dataverse.why!, next: BOT_REFUSED.dataverse.next };
  if (err.code === 'not_found') return { why: said('dataflow.unreadable.notFound'), next: check };
  if (err.code === 'malformed_response') return { why: said('error.why.malformed', { service: 'dataverse' }), next: said('dataflow.unreadable.tellAdmin') };
  return { why: unreadableWhy(err), next: check };
}

/** What happened, as a clause after "I could not …:": no service detail for a transient failure, else the catalogue's or the service's words. */
function whyOf(err: DataIntegrationError): Said {
  const { why } = adviceFor(err);
  return isTransient(err) ? why ?? TRANSIENT.why! : why ?? said('error.why.serviceSaid', { text: { long: err.message.replace(/\.$/, '') } });
}
