import { TurnContext } from 'botbuilder';
import { DataIntegration } from '../integration/port';

/** A recurrence the setup flow asks for. */
export interface RequestedRecurrence { every: number; unit: 'minutes' | 'hours' | 'days' }

/** What the setup dialog needs from the rest of the bot; each is a small edge service. */
export interface SetupServices {
  /** The Data Integration client acting for the person in this turn. */
  dataIntegration(context: TurnContext): Promise<DataIntegration>;
  /** Starts a run, shows it running, and updates that card with the result. */
  startRun(context: TurnContext, projectName: string): Promise<void>;
  /** Turns a schedule into a request that an approver must approve. */
  requestSchedule(context: TurnContext, projectName: string, recurrence: RequestedRecurrence): Promise<void>;
  /** Remembers that the project was set up in this conversation, so its runs are reported here. */
  projectCreated(context: TurnContext, projectName: string): Promise<void>;
}
