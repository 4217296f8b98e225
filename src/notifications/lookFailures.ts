import { unreadableWhy } from '../integration/errorCatalogue';
import type { Logger } from '../logger';
import { said, type Said } from '../words/words';
import { type AlertMessage, messageKey } from './alertMessage';
import type { PollPlan } from './pollPlan';
import { ownerOf } from './watchDecision';
import type { Watch, WatchStore } from './watchStore';

// A look that did not read its project: no working sign-in for the owner, the service failing, or the state store.
// A look that read it never comes here (its decision is watchDecision.ts), so no run's alert passes through this file.

/** After this many failed looks in a row, the conversation is told once that the project cannot be read. */
export const UNREADABLE_AFTER_LOOKS = 3;

/** A look failed because the project's runs could not be read (not because the bot's own state store failed). */
export class ProjectUnreadable extends Error {
  constructor(readonly failure: unknown) {
    super('the project could not be read');
  }
}

/**
 * The one message when the watcher has no working sign-in for the project's owner (none while it stands). Its key is
 * the owner's in the conversation, so an owner of many watches there is asked once, naming how many `more` wait on it.
 */
export function signInNeeded(watch: Watch, now: Date, more = 0): AlertMessage[] {
  if (watch.signInNeededAt) return [];
  return [{
    key: `${watch.conversationId}|sign-in|${ownerOf(watch)}`, watch, to: { thread: true },
    alert: { kind: 'signInNeeded', projectName: watch.projectName, ownerName: watch.owner.name, ownerId: watch.owner.aadObjectId, more },
    summary: said('signInNeeded.headline', { project: watch.projectName, more }), onSent: { change: { signInNeededAt: now.toISOString() } },
  }];
}

/** The one note when a project's runs could not be read at several looks in a row (none while it stands). */
export function unreadable(watch: Watch, why: Said, now: Date): AlertMessage[] {
  if (watch.unreadableAt) return [];
  return [{
    key: messageKey(watch, 'unreadable'), watch, to: { thread: true }, alert: { kind: 'unreadable', projectName: watch.projectName, why },
    summary: said('unreadable.summary', { project: watch.projectName }), onSent: { change: { unreadableAt: now.toISOString() } },
  }];
}

/** What LookFailures needs: the watches, the poll plan's back-off, the clock. */
export interface LookFailuresDeps {
  watches: Pick<WatchStore, 'inConversation' | 'update'>;
  plan: Pick<PollPlan, 'failed' | 'notDelivered'>;
  now: () => Date;
  logger?: Logger;
}

/** What the run watcher says and remembers when a look fails: a sign-in asked for, a project backed off and told. */
export class LookFailures {
  constructor(private readonly deps: LookFailuresDeps) {}

  /** Asks the owner to sign in once per conversation (issue 28 (d)): a watch whose owner was asked here already is only marked. */
  async noSignIn(watch: Watch): Promise<AlertMessage[]> {
    if (watch.signInNeededAt) return [];
    const { watches, now } = this.deps;
    const others = (await watches.inConversation(watch.conversationId)).filter((w) => w.projectName !== watch.projectName && !w.goneAt && ownerOf(w) === ownerOf(watch));
    if (!others.some((w) => w.signInNeededAt)) return signInNeeded(watch, now(), others.length);
    await watches.update(watch, { signInNeededAt: now().toISOString() });
    return [];
  }

  /**
   * A look that failed: a project that cannot be read is backed off, and told once after a few looks;
   * a state store that failed says nothing about the project, which is simply looked at again next poll.
   */
  lookFailed(watch: Watch, err: unknown): AlertMessage[] {
    const { plan, now, logger } = this.deps;
    const where = { projectName: watch.projectName, conversationId: watch.conversationId };
    if (!(err instanceof ProjectUnreadable)) {
      plan.notDelivered(watch.projectName);
      logger?.warn({ err, ...where }, 'run watch check failed (state store); tried again next poll');
      return [];
    }
    const failures = plan.failed(watch.projectName, now());
    logger?.warn({ err: err.failure, ...where, failures }, 'project runs not readable; tried again later');
    return failures >= UNREADABLE_AFTER_LOOKS ? unreadable(watch, unreadableWhy(err.failure), now()) : [];
  }
}
