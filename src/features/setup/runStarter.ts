import { ActivityTypes, TurnContext } from 'botbuilder';
import { DataIntegration } from '../../integration/port';
import type { RunWatcher } from '../../notifications/runWatcher';
import { runLimitText, RunStartGate } from '../../notifications/runStartGate';
import type { WatchStore } from '../../notifications/watchStore';
import { cardAttachment } from '../../render/cardRenderer';
import { runResultCard } from '../../render/projectCards';
import { baseConversationId, threadRootOf } from '../../teams/conversationIds';
import { echo } from '../../text/sanitize';

/** How long a run started from chat blocks another "Run now" of the same project here, at most. */
const STILL_RUNNING_MS = 2 * 3_600_000;

/**
 * "Run now": starts the run, posts a card that says it is running, and hands the run to the run
 * watcher, which updates that card with the result exactly once, even across a restart (the
 * pending run is stored with the watch). There is one pipeline for every run result.
 */
export class RunStarter {
  constructor(
    private readonly watches: WatchStore,
    private readonly watcher: Pick<RunWatcher, 'starting'>,
    private readonly gate: RunStartGate,
  ) {}

  /** Starts the run; rejects (with DataIntegrationError) only when the service refuses to start it. */
  async start(context: TurnContext, di: DataIntegration, projectName: string): Promise<void> {
    const a = context.activity;
    const key = { projectName, conversationId: baseConversationId(a.conversation.id) };
    // A second click (or Teams delivering the click again) while the first run is still going starts nothing.
    const inFlight = (await this.watches.get(key))?.pendingRuns?.find((r) => !r.startedAt || Date.now() - Date.parse(r.startedAt) < STILL_RUNNING_MS);
    if (inFlight) {
      await context.sendActivity(`A run of "${echo(projectName)}" started from here is still going; its card above shows the result when it ends.`);
      return;
    }
    const slot = await this.gate.tryStart(a.conversation.tenantId ?? '');
    if (!slot.ok) {
      await context.sendActivity(runLimitText(projectName, slot.waitSeconds));
      return;
    }
    await context.sendActivity({ type: ActivityTypes.Typing });
    const starting = this.watcher.starting(key);
    try {
      const executionId = await di.runProject(projectName);
      const sent = await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(runResultCard(projectName, { status: 'running' }))] });
      if (!(await this.watches.get(key))) {
        await this.watches.watch({ ...key, owner: { aadObjectId: a.from.aadObjectId ?? a.from.id, name: a.from.name ?? 'Someone', userId: a.from.id }, threadActivityId: threadRootOf(a.conversation.id) });
      }
      if (sent?.id) await this.watches.addPendingRun(key, { executionId, activityId: sent.id, startedAt: new Date().toISOString() });
    } finally {
      starting.done();
    }
  }
}
