import { randomUUID } from 'node:crypto';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { ExponentialBackoff, handleWhenResult, retry } from 'cockatiel';
import type { Logger } from '../logger';
import type { FlowLocks } from './flowLocks';
import { type ReplyText, wordsFor } from '../words/words';
import { actingPerson } from '../person';

/** A crashed turn frees its flow after this; a running one renews its lease every third of it, however long it takes. */
export const LOCK_TTL_MS = 60_000;
/** Between two tries to take a person's lock: 25 ms, doubling up to 250 ms, so each try waits 250 ms at most. */
const LOCK_RETRY_MAX_DELAY_MS = 250;
/** A wait for the person's lock of `tries` more tries: at most (tries - 1) times the longest delay. */
const waitForLock = (tries: number) => retry(handleWhenResult((taken) => taken === false), {
  maxAttempts: tries,
  backoff: new ExponentialBackoff({ initialDelay: 25, maxDelay: LOCK_RETRY_MAX_DELAY_MS }),
});
/**
 * How many times a turn tries again to take the lock before it answers "already working on that". A message waits about
 * 8 s (the Bot Connector gives up on a turn after 15 s). An invoke (a card's Action.Execute, a sign-in exchange) waits
 * about 3 s: Teams shows its clicker "Unable to reach app" after a few seconds, and a card action is answered within 4 s
 * of its arrival, the lock's wait included (INVOKE_ANSWER_MS in teams/cardActions.ts).
 */
export const LOCK_TRIES = { message: 34, invoke: 13 } as const;
const lockWaits = { message: waitForLock(LOCK_TRIES.message), invoke: waitForLock(LOCK_TRIES.invoke) };

/**
 * "Already working on that", as the turn can take it: a card's Action.Execute gets it as its invoke response (Teams
 * shows the text; without one, Teams showed an error after a 501), another invoke (a sign-in exchange) a 412 that
 * Teams answers by showing the sign-in button, and a message a reply.
 */
/** The ids of a sign-in exchange's value (never its token), as its 412 answer names them. */
const exchange = (value: unknown): { id?: unknown; connectionName?: unknown } => (value && typeof value === 'object' ? value : {});

async function answerBusy(context: TurnContext, text: ReplyText): Promise<void> {
  const a = context.activity;
  if (a.type !== ActivityTypes.Invoke) {
    await context.sendActivity(text);
    return;
  }
  const value = a.name === 'adaptiveCard/action'
    ? { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } }
    : { status: 412, body: { id: exchange(a.value).id, connectionName: exchange(a.value).connectionName, failureDetail: text } };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
}

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
    const wait = lockWaits[context.activity.type === ActivityTypes.Invoke ? 'invoke' : 'message'];
    const taken = (await locks.tryAcquire(key, owner, ttlMs)) || (await wait.execute(() => locks.tryAcquire(key, owner, ttlMs)));
    if (!taken) {
      logger.warn(ids, 'turn refused: the person\'s previous turn still runs');
      await answerBusy(context, wordsFor(context.activity).reply('error.busy'));
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
