import { ActivityTypes, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { DataIntegration } from '../../integration/port';
import { Logger } from '../../logger';
import { cardAttachment } from '../../render/cardRenderer';
import { runResultCard } from '../../render/projectCards';
import { waitForExecution } from '../../setup/runs';
import { baseConversationId } from '../../teams/conversationIds';

/** How often a run started from chat is polled, and for how long at most. */
export interface RunReporterOptions { pollMs: number; timeoutMs: number }

/**
 * "Run now": starts the run, posts a card that says it is running, and updates that same card
 * in place with the result. Following the run happens after the turn, through a proactive
 * continuation, so the person's message is answered at once.
 */
export class RunReporter {
  private readonly following = new Set<AbortController>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly logger: Logger,
    private readonly options: RunReporterOptions = { pollMs: 1000, timeoutMs: 30 * 60_000 },
    /** Called once a run is shown here, so that the run watcher does not report it a second time. */
    private readonly onShown: (key: { projectName: string; conversationId: string }, executionId: string) => Promise<void> | void = () => undefined,
  ) {}

  /** Starts the run; rejects (with DataIntegrationError) only when the service refuses to start it. */
  async start(context: TurnContext, di: DataIntegration, projectName: string): Promise<void> {
    await context.sendActivity({ type: ActivityTypes.Typing });
    const executionId = await di.runProject(projectName);
    const sent = await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(runResultCard(projectName, { status: 'running' }))] });
    const reference = TurnContext.getConversationReference(context.activity);
    await this.onShown({ projectName, conversationId: baseConversationId(context.activity.conversation.id) }, executionId);
    void this.follow(di, reference, sent?.id, projectName, executionId);
  }

  /** Stops following runs (shutdown); their results are left to the run watcher. */
  stop(): void {
    this.following.forEach((c) => c.abort());
  }

  private async follow(di: DataIntegration, reference: Partial<ConversationReference>, cardId: string | undefined, projectName: string, executionId: string): Promise<void> {
    const control = new AbortController();
    this.following.add(control);
    const log = this.logger.child({ conversationId: reference.conversation?.id, projectName, executionId });
    try {
      const execution = await waitForExecution(di, projectName, executionId, { ...this.options, intervalMs: this.options.pollMs, signal: control.signal });
      const activity = { type: ActivityTypes.Message, attachments: [cardAttachment(runResultCard(projectName, execution))] };
      await this.adapter.continueConversationAsync(this.appId, reference, async (ctx) => {
        if (cardId) await ctx.updateActivity({ ...activity, id: cardId });
        else await ctx.sendActivity(activity);
      });
      log.info({ status: execution.status, upserts: execution.upserts, errors: execution.errorCount }, 'run from chat finished');
    } catch (err) {
      if (control.signal.aborted) return;
      log.warn({ err }, 'lost track of a run started from chat');
      await this.adapter
        .continueConversationAsync(this.appId, reference, (ctx) => ctx.sendActivity(`I lost track of the run of "${projectName}". Type "status" to see how it went.`).then(() => undefined))
        .catch((sendErr: unknown) => log.warn({ err: sendErr }, 'could not say so either'));
    } finally {
      this.following.delete(control);
    }
  }
}
