import type { TurnContext } from 'botbuilder';
import { ApprovalService } from '../../src/scheduleApprovals/approvalService';
import type { ClientOwner } from '../../src/integration';
import { approvalActions, type ApprovalActionDeps } from '../../src/features/approvals/approvalActions';
import { registerApprovals } from '../../src/features/approvals/registerApprovals';
import { BackgroundWork } from '../../src/features/backgroundWork';
import { DataIntegrationError, type DataIntegration } from '../../src/integration/port';
import type { DeliveryResult } from '../../src/notifications/proactiveSender';
import { openSqliteStateStores } from '../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../src/storage/stateStores';
import { createLogger, type Logger } from '../../src/logger';
import { cardReading } from './cardWalk';
import { FakeIntegration } from './fakeIntegration';
import { tempDataDir } from './harness';

export const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
export const BOB = { aadObjectId: 'bob-aad', name: 'Bob Approver', userId: '29:bob' };
export const CAROL = { aadObjectId: 'carol-aad', name: 'Carol Approver', userId: '29:carol' };

/** A turn of `who` in `conversation`, enough for the card actions. */
export const turn = (who: typeof BOB, conversation = '19:general') => ({
  activity: { from: { id: who.userId, name: who.name, aadObjectId: who.aadObjectId }, conversation: { id: conversation }, locale: 'en-GB' },
  turnState: new Map(),
}) as unknown as TurnContext;

/** Each test of the calling describe gets its own SQLite state, and a fake service that holds the project AccSync. */
export function stateForEachTest(): { stores: StateStores; di: FakeIntegration } {
  const state = {} as { stores: StateStores; di: FakeIntegration };
  beforeEach(() => {
    state.stores = openSqliteStateStores(tempDataDir());
    state.di = new FakeIntegration().addProject('AccSync');
  });
  afterEach(() => state.stores.close());
  return state;
}

/** `di`'s client with a sign-in the service refuses (401: expired or revoked) when the schedule is read or saved. */
export function refusedSignIn(di: FakeIntegration): DataIntegration {
  const refused = async (): Promise<never> => {
    throw new DataIntegrationError('The access token is expired.', { service: 'integrator', code: 'unauthorized', status: 401, tokenOf: 'person' });
  };
  return { ...di.client, getSchedule: refused, setSchedule: refused };
}

/** How an instance's Bot Connector answers a post (its text) or a card's update (its message id); delivered when absent. */
export interface Connector {
  send?(text: string): Promise<DeliveryResult>;
  update?(activityId: string): Promise<DeliveryResult>;
}

/** One instance of the bot's approvals on a state: its service, card actions, sweep, and what the connector took from it. */
export function approvalsInstance(
  stores: StateStores, clock: () => Date, integrationFor: (of: ClientOwner) => Promise<DataIntegration | undefined>,
  options: { connector?: Connector; logger?: Logger; watches?: ApprovalActionDeps['watches']; allowSelfApproval?: boolean } = {},
) {
  const approvals = new ApprovalService({
    store: stores.approvals, ttlHours: 72, now: clock,
    policy: { approvers: [ADA.aadObjectId, BOB.aadObjectId, CAROL.aadObjectId], allowSelfApproval: options.allowSelfApproval ?? false },
  });
  const { connector = {}, logger = createLogger('silent'), watches } = options;
  /** The texts posted, and the cards as last updated (what the connector took). */
  const told: string[] = [];
  const cards = new Map<string, unknown>();
  const sender = {
    send: async (_to: unknown, a: { text?: string }): Promise<DeliveryResult> => {
      const result = connector.send ? await connector.send(a.text ?? '') : { status: 'sent' as const, activityId: 'm' };
      if (result.status === 'sent') told.push(a.text ?? '');
      return result;
    },
    update: async (_c: string, id: string, a: { attachments?: Array<{ content: unknown }> }): Promise<DeliveryResult> => {
      const result = connector.update ? await connector.update(id) : { status: 'sent' as const, activityId: id };
      if (result.status === 'sent') cards.set(id, a.attachments?.[0]?.content);
      return result;
    },
  };
  const background = new BackgroundWork();
  const deps = { approvals, sender: sender as never, integrationFor, background, logger, watches };
  const bot = { onTextCommand: () => bot, onCardActions: () => bot };
  const swept = registerApprovals(bot as never, { ...deps, refs: {} as never, source: async () => { throw new Error('unused'); }, expirySweepMs: 5 });
  return {
    approvals, told, background, actions: approvalActions(deps),
    card: (id: string) => cardReading(cards.get(id)),
    /** Lets the sweep run a few times, then waits for what it started. */
    async sweep() {
      swept.start();
      await new Promise((r) => setTimeout(r, 40));
      swept.stop();
      await background.idle();
    },
  };
}

export type ApprovalsInstance = ReturnType<typeof approvalsInstance>;
