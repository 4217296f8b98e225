import { type DataflowEnvironment, type DataflowRefresh, refreshOutcomeOf } from '../../src/integration/port';
import type { DataflowReads } from '../../src/notifications/dataflowPoller';
import type { PollSummary } from '../../src/notifications/runWatcher';
import { WatchStore } from '../../src/notifications/watchStore';
import { FakeIntegration } from '../helpers/fakeIntegration';
import { ACCOUNTS, ADA, CHANNEL, CONTACTS, dataflowWatcherTest, ENV } from '../helpers/dataflowWatcher';
import { sqliteBackend } from '../helpers/stateBackends';
import { until } from '../helpers/tryOut';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const FABRIKAM = { ...ENV, name: 'env-2', displayName: 'Fabrikam CDS', instanceUrl: 'https://fabrikam.crm.dynamics.com/', instanceApiUrl: 'https://fabrikam.api.crm.dynamics.com/' };

describe('one environment\'s Dataverse slow for minutes (throttled, each page retried)', () => {
  const t = dataflowWatcherTest(sqliteBackend(), T0);

  test('does not hold the alerts of the other environments\' dataflows until it answers', async () => {
    await t.store().watch({ dataflowId: ACCOUNTS, dataflowName: 'Accounts', environment: ENV, conversationId: CHANNEL, owner: ADA });
    await t.store().watch({ dataflowId: CONTACTS, dataflowName: 'Contacts', environment: FABRIKAM, conversationId: CHANNEL, owner: ADA });
    const contacts: DataflowRefresh = { id: 'r1', dataflowId: CONTACTS, status: 'Failed', outcome: refreshOutcomeOf('Failed'), endedAt: new Date(T0 + 5 * 60_000).toISOString() };
    let answerContoso!: () => void;
    const contosoAnswers = new Promise<DataflowRefresh[]>((resolve) => { answerContoso = () => resolve([]); });
    const reads: DataflowReads = {
      refreshesEndedSince: async (environment: DataflowEnvironment | string) => (typeof environment !== 'string' && environment.name === ENV.name ? contosoAnswers : [contacts]),
      listedDataflowIds: async (environment) => (typeof environment !== 'string' && environment.name === ENV.name ? [ACCOUNTS] : [CONTACTS]),
      tableRefreshes: async () => [],
    };
    t.now = new Date(T0 + 10 * 60_000);
    const poll = t.watcher(reads).pollOnce();
    try {
      // Contoso's Dataverse has not answered yet (its pages wait out Retry-After); Fabrikam's failure is read.
      await until('the failure of Contacts (Fabrikam) to be posted', () => t.sender.posts.length > 0, 3000);
      expect(t.sender.posts.map((p) => p.text.split(' | ')[0])).toEqual(['❌ The refresh of Contacts failed']);
    } finally {
      answerContoso();
      await poll;
    }
  });

  test('environments that answer within the deadline of a call still have their alerts posted oldest first across them', async () => {
    await t.store().watch({ dataflowId: ACCOUNTS, dataflowName: 'Accounts', environment: ENV, conversationId: CHANNEL, owner: ADA });
    await t.store().watch({ dataflowId: CONTACTS, dataflowName: 'Contacts', environment: FABRIKAM, conversationId: CHANNEL, owner: ADA });
    const failed = (id: string, dataflowId: string, minute: number): DataflowRefresh => ({ id, dataflowId, status: 'Failed', outcome: refreshOutcomeOf('Failed'), endedAt: new Date(T0 + minute * 60_000).toISOString() });
    // Contoso answers first with the newer failure; Fabrikam, with the older one, 100 ms later (the poll waits 1 s for it).
    let contosoRead!: () => void;
    const contosoDone = new Promise<void>((resolve) => { contosoRead = resolve; });
    const reads: DataflowReads = {
      refreshesEndedSince: async (environment: DataflowEnvironment | string) => {
        if (typeof environment !== 'string' && environment.name === ENV.name) { contosoRead(); return [failed('r2', ACCOUNTS, 6)]; }
        await contosoDone;
        await new Promise((r) => setTimeout(r, 100));
        return [failed('r1', CONTACTS, 5)];
      },
      listedDataflowIds: async (environment) => (typeof environment !== 'string' && environment.name === ENV.name ? [ACCOUNTS] : [CONTACTS]),
      tableRefreshes: async () => [],
    };
    t.now = new Date(T0 + 10 * 60_000);
    await t.watcher(reads).pollOnce();
    expect(t.sender.posts.map((p) => p.text.split(' | ')[0])).toEqual(['❌ The refresh of Contacts failed', '❌ The refresh of Accounts failed']);
  });

  test('does not hold the project run alerts: the next poll posts them while that environment is still read', async () => {
    await t.store().watch({ dataflowId: ACCOUNTS, dataflowName: 'Accounts', environment: ENV, conversationId: CHANNEL, owner: ADA });
    await new WatchStore(t.stores.watches, () => t.now).watch({ projectName: 'AccSync', conversationId: CHANNEL, owner: ADA });
    const di = new FakeIntegration().addProject('AccSync', { kind: 'recurring', every: 1, unit: 'minutes' });
    let answerContoso!: () => void;
    const contosoAnswers = new Promise<DataflowRefresh[]>((resolve) => { answerContoso = () => resolve([]); });
    const reads: DataflowReads = { refreshesEndedSince: () => contosoAnswers, listedDataflowIds: async () => [ACCOUNTS], tableRefreshes: async () => [] };
    const polls: PollSummary[] = [];
    const watcher = t.watcher(reads, t.stores, { projects: di.client, onPoll: (p) => polls.push(p) });
    watcher.start();
    try {
      // The first poll has looked at the project (nothing new) and waits for Contoso's Dataverse; then a run ends.
      await until('the first poll to look at AccSync', () => di.calls.includes('listExecutions'), 3000);
      t.now = new Date(T0 + 2 * 60_000);
      di.addRun('AccSync', { id: 'a1', startedAt: new Date(T0 + 60_000).toISOString(), endedAt: new Date(T0 + 90_000).toISOString() });
      await until('the alert of AccSync\'s run to be posted', () => t.sender.posts.length > 0, 5000);
      expect(t.sender.posts.map((p) => p.text.split(' | ')[0])).toEqual([expect.stringContaining('AccSync succeeded')]);
      // The polls' summaries say that they leave out the dataflow poll still running.
      expect(polls[0]).toMatchObject({ watches: 1, dataflows: 'running' });
    } finally {
      answerContoso();
      await watcher.stop();
    }
    // Once Contoso answers, that dataflow poll is told alone, as it ends.
    expect(polls.filter((p) => p.dataflows === 'alone')).toEqual([expect.objectContaining({ watches: 1, queued: 0, failures: 0 })]);
  });
});
