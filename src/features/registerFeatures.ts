import { CloudAdapter, PrivateConversationState, UserState } from 'botbuilder';
import type { ApprovalService } from '../approvals/approvalService';
import type { Logger } from '../logger';
import type { ConversationReferenceStore } from '../notifications/conversationReferenceStore';
import type { ProactiveSender } from '../notifications/proactiveSender';
import { RunStartGate } from '../notifications/runStartGate';
import type { RunWatcher } from '../notifications/runWatcher';
import type { WatchStore } from '../notifications/watchStore';
import type { BackgroundWork } from '../teams/backgroundWork';
import { DataIntegrationBot } from '../teams/dataIntegrationBot';
import type { DataIntegrationSource } from './integrationSource';
import type { IntegrationForPerson } from './integrationSource';
import { registerAlerts } from './alerts/registerAlerts';
import { Approvals, registerApprovals } from './approvals/registerApprovals';
import { registerProjectCommands } from './projects/registerProjectCommands';
import { registerSetup } from './setup/registerSetup';
import { registerSignIn } from './setup/registerSignIn';
import { RunStarter } from './runs/runStarter';
import type { FlowLocks } from '../storage/flowLocks';
import { setupServices } from './setup/setupServices';
import { SetupDialog } from './setup/setupDialog';
import { SignInDialog } from './setup/signInDialog';

/** What the features share: stores, clients, the sender and the run watcher. */
export interface FeatureDeps {
  adapter: CloudAdapter;
  refs: ConversationReferenceStore;
  watches: WatchStore;
  watcher: RunWatcher;
  approvals: ApprovalService;
  sender: ProactiveSender;
  source: DataIntegrationSource;
  integrationFor: IntegrationForPerson;
  background: BackgroundWork;
  privateState: PrivateConversationState;
  /** Where a person's open setup is remembered across conversations (to mention it elsewhere). */
  userState: UserState;
  logger: Logger;
  /** Teams mode: the bot's OAuth connection; local mode needs no sign-in. */
  oauthConnection?: string;
  adminUrl?: string;
  expirySweepMs: number;
  /** Where a run being started is claimed, so that one project starts one run at a time across instances. */
  runClaims: FlowLocks;
}

/** The bot with every feature registered on it: setup, approvals, alerts, projects, sign-in. */
export function registerFeatures(deps: FeatureDeps): { bot: DataIntegrationBot; approvals: Approvals } {
  const { watches, watcher, source, oauthConnection } = deps;
  const onScheduleChanged = (name: string) => watcher.scheduleChanged(name);
  const bot = new DataIntegrationBot(deps.refs);
  const approvals = registerApprovals(bot, { ...deps, onScheduleChanged, watchProject: (input) => watches.watch(input) });
  const runs = new RunStarter(watches, watcher, new RunStartGate(), deps.runClaims, deps.logger);
  registerAlerts(bot, { watches, source, actions: { adminUrl: deps.adminUrl, runs, onScheduleChanged, logger: deps.logger } });
  const services = setupServices(source, runs, { requestSchedule: approvals.requestSchedule, watches });
  const setup = registerSetup(bot, {
    state: deps.privateState, userState: deps.userState,
    setup: new SetupDialog(services, oauthConnection), signIn: oauthConnection ? new SignInDialog(oauthConnection) : undefined,
  });
  registerSignIn(bot, setup, deps.adapter, oauthConnection);
  registerProjectCommands(bot, source, runs);
  return { bot, approvals };
}
