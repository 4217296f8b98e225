import { TurnContext } from 'botbuilder';
import type { DataIntegration, RecurringRecurrence } from '../../integration/port';
import type { WatchInput } from '../../notifications/watchStore';
import { baseConversationId, threadRootOf } from '../../teams/conversationIds';
import type { DataIntegrationSource } from '../integrationSource';
import type { RunStarter } from './runStarter';

/** What the setup dialog needs from the rest of the bot; each is a small edge service. */
export interface SetupServices {
  /** The Data Integration client acting for the person in this turn. */
  dataIntegration(context: TurnContext): Promise<DataIntegration>;
  /** Starts a run, shows it running, and updates that card with the result. */
  startRun(context: TurnContext, projectName: string): Promise<void>;
  /** Turns a schedule into a request that an approver must approve. */
  requestSchedule(context: TurnContext, projectName: string, recurrence: RecurringRecurrence): Promise<void>;
  /** Remembers that the project was set up in this conversation, so its runs are reported here. */
  projectCreated(context: TurnContext, projectName: string): Promise<void>;
}

/** What the setup hands a finished project over to: approvals (schedule requests) and the run watcher. */
export interface SetupHandOver {
  requestSchedule(context: TurnContext, projectName: string, recurrence: RecurringRecurrence): Promise<void>;
  watchProject(input: WatchInput): Promise<unknown>;
}

/** The edge services of the setup dialog, wired to the client, the run starter and the hand-over. */
export function setupServices(source: DataIntegrationSource, runs: RunStarter, handOver: SetupHandOver): SetupServices {
  return {
    dataIntegration: source,
    startRun: async (context, projectName) => runs.start(context, await source(context), projectName),
    requestSchedule: (context, projectName, recurrence) => handOver.requestSchedule(context, projectName, recurrence),
    projectCreated: async (context, projectName) => {
      const from = context.activity.from;
      await handOver.watchProject({
        projectName,
        conversationId: baseConversationId(context.activity.conversation.id),
        owner: { aadObjectId: from.aadObjectId ?? from.id, name: from.name ?? 'Someone', userId: from.id },
        threadActivityId: threadRootOf(context.activity.conversation.id),
      });
    },
  };
}
