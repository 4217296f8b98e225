import { DataIntegrationError, DataIntegrationErrorCode, isDataIntegrationError } from './errors';

/** How a service failure is told to a person: what happened, and the next step. */
export interface ErrorAdvice {
  /** One line naming what happened, without jargon. */
  title: string;
  /** The next step the person can take. */
  next: string;
}

const SIGN_IN: ErrorAdvice = { title: 'Your sign-in to Data Integration is missing or has expired', next: 'Nothing was changed. Type "sign in", then try again.' };
// During an outage each answer says whether anything changed and when to try again (issue 28).
const TRANSIENT: ErrorAdvice = { title: 'The Data Integration service is not answering', next: 'Nothing was changed: it is down or busy right now, so try again in a minute.' };
/** A time-out: the request may have reached the service, so the person checks before trying again. */
const UNCERTAIN: ErrorAdvice = {
  title: 'The Data Integration service is not answering',
  next: 'It did not answer in time, so I cannot tell whether it was done: type "status" in a minute to see, then try again if needed (a card acts once).',
};

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
 * - `ETagConflictError` (storage/sqliteStorage.ts) is a lost race on a write, retried or answered as
 *   "already done" by the caller.
 */
const CATALOGUE: Record<DataIntegrationErrorCode, ErrorAdvice> = {
  validation: { title: 'The Data Integration service refused the request', next: 'Correct what it names and try again.' },
  conflict: { title: 'Something with that name already exists', next: 'Choose another name, or type "status" to see what exists.' },
  not_found: { title: 'I could not find that in Data Integration', next: 'Type "status" to see the projects.' },
  unauthorized: SIGN_IN,
  no_token: SIGN_IN,
  forbidden: { title: 'Your account may not do that in Data Integration', next: 'Ask a Power Platform admin for access to the environment.' },
  throttled: TRANSIENT,
  server_error: TRANSIENT,
  timeout: UNCERTAIN,
  network: TRANSIENT,
  malformed_response: { title: 'The Data Integration service answered in a way I do not understand', next: 'Try again later; if it keeps happening, tell your admin (the bot logged the details).' },
  no_dataverse: { title: 'That environment has no Dataverse database', next: 'Pick an environment with a Dataverse database.' },
  http_error: { title: 'The Data Integration service refused the request', next: 'Try again later, or type "status".' },
};

/** What to say about a service failure. */
export function adviceFor(err: DataIntegrationError): ErrorAdvice {
  return CATALOGUE[err.code];
}

/** The one answer to "may trying again later work?": the client decides it per failure (throttling, 5xx, time-out, network). */
export function isTransient(err: DataIntegrationError): boolean {
  return err.retryable;
}

/** True when the failure means the person must sign in (again). */
export function needsSignIn(err: unknown): boolean {
  return isDataIntegrationError(err) && CATALOGUE[err.code] === SIGN_IN;
}

/**
 * One sentence for a failed action (anything but a DataIntegrationError is rethrown), e.g. `I could not pause the schedule of "X": <why>. <next step>`.
 * A transient failure names no service detail; a refusal says the service's own words.
 */
export function failureText(err: unknown, what: string): string {
  if (!isDataIntegrationError(err)) throw err;
  const advice = adviceFor(err);
  const own = isTransient(err) || advice === SIGN_IN || err.code === 'not_found' ? advice.title : err.message.replace(/\.$/, '');
  const why = own.charAt(0).toLowerCase() + own.slice(1);
  return `I could not ${what}: ${why}. ${advice.next}`;
}

/*
 * What a person is told when a decision meets an earlier one (issue 28): each says what changed and
 * what to do next. Names and moments come in already formatted for where they are shown (card or text).
 */

/** An approval that landed on a paused project: the schedule is saved and stays paused. */
export function keptPausedText(who: string | undefined, when: string | undefined): string {
  const paused = who ? `${who} paused it${when ? ` ${when}` : ''}` : 'it was paused when the approval came';
  return `It stays paused, as ${paused}: it does not run on its own until someone resumes it (type "status" and click Resume).`;
}

/** The schedule was saved, but the pause it had could not be put back. */
export function notKeptPausedText(why: string): string {
  return `The schedule was saved, but I could not pause it again as it was: ${why.replace(/\.$/, '')}. It now runs on its own: type "status" and click Pause to stop it.`;
}

/** Why a look at a project failed, as a clause: "the Data Integration service is not answering". */
export function unreadableWhy(err: unknown): string {
  if (!isDataIntegrationError(err)) return 'the Data Integration service did not answer in time';
  if (err.code === 'not_found') return 'Data Integration did not find the project (was it deleted or renamed?)';
  const { title } = adviceFor(err);
  return title.charAt(0).toLowerCase() + title.slice(1);
}

/** The one note when a watched project's runs cannot be read for a while (the watcher backs off and tries again by itself). */
export function unreadableNote(projectName: string, why: string): { headline: string; detail: string; footnote: string } {
  return {
    headline: `I cannot read the runs of ${projectName} right now`,
    detail: `For the last few checks, ${why}. Nothing was changed: the project keeps running on its schedule, and its alerts come here once I can read it again. I keep trying by myself, less often while it fails.`,
    footnote: 'I say this once, not at every check. If it lasts more than an hour, check the project in the admin center.',
  };
}

/** A turn during a storage outage: what happened, that nothing was kept, and when to try again. */
export const STORAGE_DOWN_TEXT = 'My storage is not answering right now, so I stopped before doing anything: nothing was changed. Try again in a minute; clicking the same card again then acts once.';
