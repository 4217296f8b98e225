import { TurnContext } from 'botbuilder';
import type { DataIntegration, RecurringRecurrence } from '../../integration/port';
import type { DataIntegrationSource } from '../integrationSource';
import type { RunStart, RunStarter } from '../runs/runStarter';
import { say } from '../../teams/say';
import type { ProjectWatches } from '../runs/projectWatches';
import type { ScheduleAsk } from '../approvals/approvalCommands';
import type { FlowResult } from '../../setupRules/submitToFlow';
import { failureText } from '../../integration/errorCatalogue';
import { said, type Said } from '../../words/words';

/** What the setup dialog needs from the rest of the bot; each is a small edge service. */
export interface SetupServices {
  /** The Data Integration client acting for the person in this turn. */
  dataIntegration(context: TurnContext): Promise<DataIntegration>;
  /** Starts a run, shows it running, and updates that card with the result; a start refused (the tenant's limit, a run still going) is said, and only `started` started one. */
  startRun(context: TurnContext, projectName: string): Promise<RunStart>;
  /** Turns a schedule into a request that an approver must approve; a refusal is said, and only `requested` asked. */
  requestSchedule(context: TurnContext, projectName: string, recurrence: RecurringRecurrence): Promise<ScheduleAsk>;
  /** Where a created project is watched, so that its runs are reported in the conversation it was set up in. */
  watches: SetupWatches;
}

/** Starts watching a project created in a turn. */
export type SetupWatches = Pick<ProjectWatches, 'fromTurn'>;

/** What the setup hands a finished project over to: approvals (schedule requests) and the run watcher. */
export interface SetupHandOver {
  /** Approvals' request: it says a refusal, and returns what came of it. */
  requestSchedule(context: TurnContext, projectName: string, recurrence: RecurringRecurrence): Promise<ScheduleAsk>;
  watches: SetupWatches;
}

/** The edge services of the setup dialog, wired to the client, the run starter and the hand-over. */
export function setupServices(source: DataIntegrationSource, runs: RunStarter, handOver: SetupHandOver): SetupServices {
  return {
    dataIntegration: source,
    startRun: async (context, projectName) => {
      const started = await runs.start(context, await source(context), projectName);
      if (started.kind !== 'started') await say(context, started.said);
      return started;
    },
    requestSchedule: handOver.requestSchedule,
    watches: handOver.watches,
  };
}

/** Starts the run or asks for the schedule step 5 chose; what keeps step 5 open (a refusal's words, or a failure's), or undefined when it was done. */
export async function stepFiveProblem(services: Pick<SetupServices, 'startRun' | 'requestSchedule'>, context: TurnContext, result: Extract<FlowResult, { kind: 'run' | 'schedule' }>): Promise<Said | undefined> {
  try {
    const done = result.kind === 'run'
      ? await services.startRun(context, result.projectName)
      : await services.requestSchedule(context, result.projectName, result.recurrence);
    return done.kind === 'started' || done.kind === 'requested' ? undefined : done.said;
  } catch (err) {
    return failureText(err, said(result.kind === 'run' ? 'what.startRun' : 'what.askSchedule', { project: result.projectName }));
  }
}
