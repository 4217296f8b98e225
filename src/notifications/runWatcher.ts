import type { DataIntegration, Execution, Schedule } from '../integration/port';
import { needsSignIn } from '../integration/errorCatalogue';
import type { Logger } from '../logger';
import { describeRecurrence } from '../approvals/recurrence';
import type { DeliveryResult, ProactiveSender } from './proactiveSender';
import { endOf, outcomeOf, runAlertOf, shouldNotify } from './runAlert';
import { DEFAULT_STALL_GRACE_MINUTES, isStalled, lastRunAt } from './stallCheck';
import type { AlertPresenter, WatchAlert } from './watchAlert';
import type { Watch, WatchStore } from './watchStore';

/** Gives the client to read a watch's project with (its owner's sign-in, or the app's); undefined when there is none. */
export type IntegrationForWatch = (watch: Watch) => Promise<DataIntegration | undefined>;

/** Settings of the run watcher. */
export interface RunWatcherOptions {
  pollMs: number;
  /** Real ms per schedule minute (60,000; the sandbox runs faster in tests). */
  minuteMs?: number;
  stallGraceMinutes?: number;
  /** More new runs than this at once become one digest card. */
  digestAbove?: number;
}

/** What the run watcher needs. */
export interface RunWatcherDeps {
  watches: WatchStore;
  sender: Pick<ProactiveSender, 'send'>;
  integrationFor: IntegrationForWatch;
  /** Turns an alert into the message's attachment (the card renderer). */
  present: AlertPresenter;
  now?: () => Date;
  logger?: Logger;
  /** False the moment this instance may no longer send alerts (it lost the leader lease): nothing more goes out. */
  mayAct?: () => boolean;
}

/** What one poll did, for logs and tests. */
export interface PollSummary { watches: number; alerts: number; failures: number }

type Sink = (alert: WatchAlert, summary: string) => Promise<DeliveryResult>;

/**
 * Polls the run history of watched projects and posts one alert per finished run into the
 * project's thread, exactly once: what was reported is recorded, so a restart repeats nothing
 * and catches up on what finished meanwhile. One failing project or conversation never stops the rest.
 */
export class RunWatcher {
  private timer?: NodeJS.Timeout;
  private polling?: Promise<PollSummary>;
  private stopped = true;
  private readonly now: () => Date;

  constructor(private readonly deps: RunWatcherDeps, private readonly options: RunWatcherOptions) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Polls every `pollMs`, the first time at once; polls never overlap. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      await this.pollOnce();
      if (!this.stopped) this.timer = setTimeout(loop, this.options.pollMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Stops polling and waits for a poll in progress, so its bookkeeping is saved. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
  }

  /** One pass over every active watch; conversations are served side by side, a conversation's projects in turn. */
  pollOnce(): Promise<PollSummary> {
    this.polling ??= this.poll().finally(() => { this.polling = undefined; });
    return this.polling;
  }

  private async poll(): Promise<PollSummary> {
    const summary: PollSummary = { watches: 0, alerts: 0, failures: 0 };
    const byConversation = new Map<string, Watch[]>();
    for (const w of await this.deps.watches.active()) byConversation.set(w.conversationId, [...(byConversation.get(w.conversationId) ?? []), w]);
    await Promise.all([...byConversation.values()].map(async (watches) => {
      for (const watch of watches) {
        summary.watches++;
        try {
          summary.alerts += await this.check(watch);
        } catch (err) {
          summary.failures++;
          this.deps.logger?.warn({ err, projectName: watch.projectName, conversationId: watch.conversationId }, 'run watch check failed; tried again next poll');
        }
      }
    }));
    await this.deps.watches.pruneReports(new Date(this.now().getTime() - 46 * 86_400_000));
    return summary;
  }

  /** Checks one watch; returns how many alerts went out. */
  private async check(watch: Watch): Promise<number> {
    const integration = await this.deps.integrationFor(watch).catch(() => undefined);
    let executions: Execution[];
    let schedule: Schedule;
    try {
      if (!integration) return this.signInNeeded(watch);
      [executions, schedule] = await Promise.all([integration.listExecutions(watch.projectName), integration.getSchedule(watch.projectName)]);
    } catch (err) {
      if (needsSignIn(err)) return this.signInNeeded(watch);
      throw err;
    }
    if (watch.signInNeededAt) await this.deps.watches.update(watch, { signInNeededAt: undefined });
    const sink = this.sink(watch);
    const sent = await this.reportRuns(watch, executions, schedule, sink);
    return sent < 0 ? 0 : sent + (await this.checkStall(watch, executions, schedule, sink));
  }

  /** Reports new finished runs; returns alerts sent, or -1 when the conversation stopped taking them. */
  private async reportRuns(watch: Watch, executions: Execution[], schedule: Schedule, sink: Sink): Promise<number> {
    const since = Date.parse(watch.since);
    const finished = executions
      .map((e) => ({ e, outcome: outcomeOf(e.status) }))
      .filter((x): x is { e: Execution; outcome: NonNullable<typeof x.outcome> } => x.outcome !== undefined && Date.parse(endOf(x.e)) >= since);
    const seen = await this.deps.watches.reported(watch, finished.map((x) => x.e.id));
    const fresh = finished.filter((x) => !seen.has(x.e.id)).sort((a, b) => Date.parse(endOf(a.e)) - Date.parse(endOf(b.e)));
    const quiet = fresh.filter((x) => !shouldNotify(watch.notifyLevel, x.outcome));
    await this.deps.watches.markReported(watch, quiet.map((x) => x.e.id));
    const loud = fresh.filter((x) => shouldNotify(watch.notifyLevel, x.outcome)).map((x) => runAlertOf(x.e, x.outcome, schedule));
    if (loud.length > (this.options.digestAbove ?? 3)) {
      const result = await sink({ kind: 'digest', alerts: loud }, `${loud.length} runs of ${watch.projectName} finished`);
      if (result.status !== 'sent') return -1;
      await this.deps.watches.markReported(watch, loud.map((a) => a.executionId));
      return 1;
    }
    for (const [i, alert] of loud.entries()) {
      const result = await sink({ kind: 'run', alert }, `${watch.projectName} ${alert.outcome}`);
      if (result.status !== 'sent') return i === 0 ? -1 : i;
      await this.deps.watches.markReported(watch, [alert.executionId]);
    }
    return loud.length;
  }

  /** One alert when an active schedule stops firing, one when it fires again. */
  private async checkStall(watch: Watch, executions: Execution[], schedule: Schedule, sink: Sink): Promise<number> {
    const active = schedule.recurrence.kind === 'recurring' && !schedule.paused;
    if (!active) {
      if (watch.scheduleActiveSince || watch.stalledAt) await this.deps.watches.update(watch, { scheduleActiveSince: undefined, stalledAt: undefined });
      return 0;
    }
    const activeSince = watch.scheduleActiveSince ?? this.now().toISOString();
    if (!watch.scheduleActiveSince) await this.deps.watches.update(watch, { scheduleActiveSince: activeSince });
    const stalled = isStalled({
      schedule, executions, activeSince, now: this.now(),
      minuteMs: this.options.minuteMs ?? 60_000, graceMinutes: this.options.stallGraceMinutes ?? DEFAULT_STALL_GRACE_MINUTES,
    });
    if (stalled === Boolean(watch.stalledAt)) return 0;
    const stall: WatchAlert = {
      kind: 'stalled', projectName: watch.projectName, recurrenceText: describeRecurrence(schedule.recurrence),
      lastRunAt: new Date(lastRunAt(executions, activeSince)).toISOString(), recovered: !stalled,
    };
    const result = await sink(stall, stalled ? `${watch.projectName}: schedule stalled` : `${watch.projectName}: schedule runs again`);
    if (result.status !== 'sent') return 0;
    await this.deps.watches.update(watch, { stalledAt: stalled ? this.now().toISOString() : undefined });
    return 1;
  }

  private async signInNeeded(watch: Watch): Promise<number> {
    if (watch.signInNeededAt) return 0;
    const result = await this.sink(watch)({ kind: 'signInNeeded', projectName: watch.projectName, ownerName: watch.owner.name }, `Sign-in needed to keep watching ${watch.projectName}`);
    if (result.status !== 'sent') return 0;
    await this.deps.watches.update(watch, { signInNeededAt: this.now().toISOString() });
    return 1;
  }

  /** Sends into the project's thread, starting it with the first message when there is none yet. */
  private sink(watch: Watch): Sink {
    let threadId = watch.threadActivityId;
    return async (alert, summary) => {
      if (this.deps.mayAct?.() === false) return { status: 'failed', reason: 'no longer the instance that sends alerts' };
      const result = await this.deps.sender.send(
        { conversationId: watch.conversationId, replyToId: threadId, newThread: !threadId },
        { type: 'message', summary, attachments: [this.deps.present(alert)] },
      );
      if (result.status === 'sent' && result.threadId && !threadId) {
        threadId = result.threadId;
        await this.deps.watches.update(watch, { threadActivityId: threadId });
      }
      return result;
    };
  }
}
