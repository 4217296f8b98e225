import { TurnContext } from 'botbuilder';
import { ApprovalsAndAlerts } from './approvalsAndAlerts';
import { baseConversationId } from './conversationReferences';
import { SetupHandOver } from './setupServices';

/** In a channel thread the conversation id ends in ";messageid=<root>": the thread alerts go to. */
function threadRootOf(context: TurnContext): string | undefined {
  return context.activity.conversation.id.split(';messageid=')[1];
}

/** Hands a finished setup to approvals (schedule requests) and to the run watcher (alerts here). */
export function projectWatchHandOver(features: ApprovalsAndAlerts): SetupHandOver {
  return {
    requestSchedule: (context, projectName, r) =>
      features.requestSchedule(context, projectName, { kind: 'recurring', every: r.every, unit: r.unit }),
    projectCreated: async (context, projectName) => {
      const from = context.activity.from;
      await features.watchProject({
        projectName,
        conversationId: baseConversationId(context.activity.conversation.id),
        owner: { aadObjectId: from.aadObjectId ?? from.id, name: from.name ?? 'Someone', userId: from.id },
        threadActivityId: threadRootOf(context),
      });
    },
  };
}
