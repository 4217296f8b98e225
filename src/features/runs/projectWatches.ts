import type { TurnContext } from 'botbuilder';
import { type ApprovalRequest, runsReadBy } from '../../scheduleApprovals/approvalRequest';
import type { WatchInput, WatchStore } from '../../notifications/watchStore';
import { actingPerson } from '../../person';
import { baseConversationId, threadRootOf } from '../../teams/conversationIds';
import { speechOf } from '../../teams/say';

/**
 * The one place a project starts being watched (the layout test keeps WatchStore.watch called from here
 * only): from a turn (a setup created it, a run started it) or from an approved schedule request.
 */
export class ProjectWatches {
  constructor(private readonly store: Pick<WatchStore, 'watch'>) {}

  /**
   * Watches `projectName` in this turn's conversation (alerts in this thread) on behalf of the person who
   * acted, whose sign-in the watcher then uses. With `keep`, a watch that exists already is left as it is
   * (decided in the store's write, so a watch written meanwhile by another turn is not overwritten).
   * A turn that names nobody (the HTTP edge refuses those) watches nothing.
   */
  async fromTurn(context: Pick<TurnContext, 'activity'>, projectName: string, options: { keep?: boolean } = {}): Promise<void> {
    const a = context.activity;
    const person = actingPerson(a);
    if (!person) return;
    const conversationId = baseConversationId(a.conversation.id);
    await this.store.watch({
      projectName,
      conversationId,
      owner: { aadObjectId: person.aadObjectId, name: person.name, userId: person.userId },
      threadActivityId: threadRootOf(a.conversation.id),
      speaks: speechOf(context),
    }, options);
  }

  /**
   * An approved schedule: watched where it was requested (its thread, in the requester's words), owned by whoever's
   * sign-in can read its runs (the requester's, or the approver's when the schedule was saved with his instead).
   */
  async forRequest(request: Pick<ApprovalRequest, 'projectName' | 'conversationId' | 'requestedBy' | 'scheduleSignIn' | 'threadActivityId' | 'requestedIn'>): Promise<void> {
    const { projectName, conversationId, threadActivityId, requestedIn: speaks } = request;
    await this.given({ projectName, conversationId, owner: runsReadBy(request), threadActivityId, speaks });
  }

  /** A watch as given: tests and tools that set one up directly. */
  async given(input: WatchInput): Promise<void> {
    await this.store.watch(input);
  }
}
