import { randomUUID } from 'node:crypto';
import { ActivityTypes, TurnContext } from 'botbuilder';
import { DataIntegration } from '../../integration/port';
import type { Logger } from '../../logger';
import type { RunWatcher } from '../../notifications/runWatcher';
import { runLimitText, RunStartGate } from './runStartGate';
import { RUN_START_MS, type WatchKey, type WatchStore } from '../../notifications/watchStore';
import { sendCard } from '../../teams/cardMessages';
import { runResultCard } from '../../render/projectCards';
import type { FlowLocks } from '../../locks/flowLocks';
import { baseConversationId } from '../../teams/conversationIds';
import { said, type Said } from '../../words/words';
import { speechOf, wordsOf } from '../../teams/say';
import { ProjectWatches } from './projectWatches';

/** How long a run started from chat blocks another start of the same project here, at most. */
const STILL_RUNNING_MS = 2 * 3_600_000;
/** How long a start's claims hold unless renewed (the service's answer, the card, the record); a crashed start frees the project after it. */
const CLAIM_MS = RUN_START_MS;
/** A start that goes on renews its claims every third of that, so one slow write never lets them run out. */
const RENEW_EVERY_MS = CLAIM_MS / 3;
/**
 * How long a start renews its claims at most: longer than its calls take with the most retries allowed (11 time-outs
 * of 15 s and 10 Retry-Afters of a minute, about 13 minutes). A start stuck beyond (a call that never answers) lets
 * them run out then, and its run is told in the thread.
 */
export const START_RENEWED_MS = 15 * 60_000;

/** Runs `renew` every `everyMs` until the stop it returns is called; the stop waits for a renewal under way, so none lands after it. */
export type Renewals = (everyMs: number, renew: () => Promise<void>) => () => Promise<void>;

/** Renewals on the process's timers, one at a time; they end with the process, and the claims then run out. */
export const timerRenewals: Renewals = (everyMs, renew) => {
  let under = Promise.resolve();
  const timer = setInterval(() => { under = under.then(renew); }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await under;
  };
};

/** What a start did, with the words for the person. */
export type RunStart =
  | { kind: 'started'; executionId: string; said: Said }
  | { kind: 'stillGoing' | 'limited'; said: Said };

/**
 * The one way the bot starts a run: setup's "Run now", the `run` command, "Run again" / "Run now" on
 * alerts and on the status card, by Action.Submit or Action.Execute alike. Per project and
 * conversation it starts one run at a time, across instances: the start holds a claim (the stores'
 * create-if-absent lock) until the run is recorded as pending on its watch, and a pending run younger
 * than two hours answers "still going". It posts a card that says the run is going; the run watcher
 * updates that card with the result exactly once, even across a restart. The start is also claimed on the
 * watch before the service is called, so the lead instance (maybe another) does not alert in the thread a
 * run that ends before its card is stored; a start that ends without a card gives the claim up at once, one
 * that dies lets it run out: either way the result then comes in the thread, once. Both claims hold a minute
 * and are renewed while the start goes on (a quarter of an hour at most), so a start that takes minutes is
 * told once too, and a dead instance's claims still run out within a minute.
 */
export class RunStarter {
  constructor(
    private readonly watches: WatchStore,
    private readonly watcher: Pick<RunWatcher, 'starting'>,
    private readonly gate: RunStartGate,
    private readonly claims: FlowLocks,
    private readonly logger?: Logger,
    private readonly renewals: Renewals = timerRenewals,
  ) {}

  /** Starts the run; rejects (with DataIntegrationError) only when the service refuses to start it. */
  async start(context: TurnContext, di: DataIntegration, projectName: string): Promise<RunStart> {
    const a = context.activity;
    const key: WatchKey = { projectName, conversationId: baseConversationId(a.conversation.id) };
    const stillGoing: RunStart = { kind: 'stillGoing', said: said('run.stillGoing', { project: projectName }) };
    const claim = `run/${a.conversation.tenantId ?? ''}/${key.conversationId}/${projectName}`;
    const holder = randomUUID();
    if (!(await this.claims.tryAcquire(claim, holder, CLAIM_MS))) return stillGoing;
    // A start can outlast its claims (the service's retries through time-outs and Retry-After, a throttled card post).
    const stopRenewing = this.renewals(RENEW_EVERY_MS, this.renewal(claim, key, holder));
    let recorded = true;
    try {
      if (await this.inFlight(key)) return stillGoing;
      const slot = await this.gate.tryStart(a.conversation.tenantId ?? '');
      if (!slot.ok) return { kind: 'limited', said: runLimitText(projectName, slot.waitSeconds) };
      await context.sendActivity({ type: ActivityTypes.Typing });
      const starting = this.watcher.starting(key);
      let carded = false;
      try {
        // Watched before the run starts: a run that ends at once still finds its watch, which then counts it.
        await new ProjectWatches(this.watches).fromTurn(context, projectName, { keep: true });
        // Claimed on the watch before the service can start anything: a run seen ended is seen with this claim or its card.
        await this.watches.claimRunStart(key, holder);
        const executionId = await di.runProject(projectName);
        const sentId = await sendCard(context, runResultCard(projectName, { status: 'running' }, wordsOf(context)));
        // The result updates the card in the clicker's words, as the card was sent (not the watch owner's).
        if (sentId) carded = Boolean(await this.watches.addPendingRun(key, { executionId, activityId: sentId, startedAt: new Date().toISOString(), speaks: speechOf(context) }, holder));
        // Without a message id nothing records the run as going: the start's lock, left to run out, covers its first minute.
        else recorded = false;
        return { kind: 'started', executionId, said: said('run.started', { project: projectName }) };
      } finally {
        // No card will show the result (the service refused or did not answer, the card was not posted): the thread tells it.
        if (!carded) await this.watches.endRunStart(key, holder).catch((err: unknown) => this.logger?.warn({ err }, 'run start not given up; the lead alerts its run once it runs out'));
        starting.done();
      }
    } finally {
      await stopRenewing();
      if (recorded) await this.claims.release(claim, holder).catch((err: unknown) => this.logger?.warn({ err }, 'run claim not released; it runs out by itself'));
    }
  }

  /**
   * One renewal of the start's claims, for START_RENEWED_MS at most: the project's (no second run starts beside it) and
   * the watch's, while it is open (the lead holds back the thread alert of a run that may be this start's).
   */
  private renewal(claim: string, key: WatchKey, holder: string): () => Promise<void> {
    let left = START_RENEWED_MS / RENEW_EVERY_MS;
    return async () => {
      if (left-- <= 0) return;
      await Promise.all([this.claims.tryAcquire(claim, holder, CLAIM_MS), this.watches.renewRunStart(key, holder)])
        .catch((err: unknown) => this.logger?.warn({ err, projectName: key.projectName, conversationId: key.conversationId }, 'run start claims not renewed; tried again shortly'));
    };
  }

  private async inFlight(key: WatchKey): Promise<boolean> {
    const pending = (await this.watches.get(key))?.pendingRuns ?? [];
    return pending.some((r) => !r.startedAt || Date.now() - Date.parse(r.startedAt) < STILL_RUNNING_MS);
  }
}
