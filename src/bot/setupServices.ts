import { TurnContext } from 'botbuilder';
import { RequestedRecurrence, SetupServices } from '../dialogs/setupServices';
import { DataIntegrationSource } from './dataIntegrationSource';
import { RunReporter } from './runReporter';

/** What the setup flow's last step hands over to: approvals and the run watcher, when wired. */
export interface SetupHandOver {
  requestSchedule?(context: TurnContext, projectName: string, recurrence: RequestedRecurrence): Promise<void>;
  projectCreated?(context: TurnContext, projectName: string): Promise<void>;
}

/** The edge services the setup dialog uses. */
export function setupServices(source: DataIntegrationSource, runs: RunReporter, handOver: SetupHandOver = {}): SetupServices {
  return {
    dataIntegration: source,
    startRun: async (context, projectName) => runs.start(context, await source(context), projectName),
    requestSchedule: async (context, projectName, recurrence) => {
      if (handOver.requestSchedule) return handOver.requestSchedule(context, projectName, recurrence);
      await context.sendActivity(`Your request to run "${projectName}" every ${recurrence.every} ${recurrence.unit} awaits approval.`);
    },
    projectCreated: async (context, projectName) => handOver.projectCreated?.(context, projectName),
  };
}
