import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { ExponentialBackoff, handleWhenResult, retry } from 'cockatiel';
import type { Logger } from '../logger';
import type { FlowLocks } from './flowLocks';
import { wordsFor } from '../words/words';
import { actingPerson } from '../person';

/** A crashed turn frees its flow after this; a running one renews its lease every third of it, however long it takes. */
const LOCK_TTL_MS = 60_000;
/** Teams re-delivers an action it got no answer to within about 15 s: give up waiting before that. */
const waitForLock = retry(handleWhenResult((taken) => taken === false), {
  maxAttempts: 60,
  backoff: new ExponentialBackoff({ initialDelay: 25, maxDelay: 250 }),
});

/** The person's state key, as PrivateConversationState builds it: one flow per person per conversation. */
function personKey(context: TurnContext): string | undefined {
  const { channelId, conversation } = context.activity;
  const person = actingPerson(context.activity);
  return person && conversation?.id ? `${channelId}/conversations/${conversation.id}/users/${person.userId}` : undefined;
}

/**
 * Runs one person's turns in a conversation one at a time, across instances. botbuilder's
 * BotState.saveChanges writes with eTag '*' (last write wins), so without this two quick clicks
 * both read the same flow state and both act (two runs, or a "Create" that fails on its own project).
 * A turn waits for the one before it, then reads the state that one saved; when the lock stays
 * taken it answers "already working on that" and changes nothing. A turn that `needsNoLock` (one that
 * neither reads nor writes bot state, e.g. "help") runs without it: it cannot act twice on a flow.
 */
export function guardPersonTurns(
  locks: FlowLocks, logger: Logger, logic: (context: TurnContext) => Promise<void>, needsNoLock: (context: TurnContext) => boolean = () => false,
  ttlMs = LOCK_TTL_MS,
) {
  return async (context: TurnContext): Promise<void> => {
    const key = personKey(context);
    if (!key || needsNoLock(context)) return logic(context);
    const owner = randomUUID();
    const ids = { conversationId: context.activity.conversation.id, activityId: context.activity.id };
    // Most turns find the lock free: take it directly, and wait through the retry policy only when it is held.
    const taken = (await locks.tryAcquire(key, owner, ttlMs)) || (await waitForLock.execute(() => locks.tryAcquire(key, owner, ttlMs)));
    if (!taken) {
      logger.warn(ids, 'turn refused: the person\'s previous turn still runs');
      await context.sendActivity(wordsFor(context.activity).reply('error.busy'));
      return;
    }
    // A turn can outlast the lease (a Create whose calls retry through time-outs and Retry-After): it renews it.
    const renewal = setInterval(() => {
      locks.tryAcquire(key, owner, ttlMs).then(
        (held) => { if (!held) logger.warn(ids, 'person lock lost during a long turn; another turn may run beside it'); },
        (err: unknown) => logger.warn({ ...ids, err }, 'person lock not renewed; tried again shortly'),
      );
    }, ttlMs / 3);
    renewal.unref();
    try {
      await logic(context);
    } finally {
      clearInterval(renewal);
      await locks.release(key, owner).catch((err: unknown) => logger.warn({ err }, 'flow lock not released; it runs out by itself'));
    }
  };
}
