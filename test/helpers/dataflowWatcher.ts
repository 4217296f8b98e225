import type { DataIntegration } from '../../src/integration/port';
import type { DataflowReads } from '../../src/notifications/dataflowPoller';
import { DataflowWatchStore } from '../../src/notifications/dataflowWatchStore';
import type { OutboundActivity } from '../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../src/notifications/proactiveSender';
import { type PollSummary, RunWatcher } from '../../src/notifications/runWatcher';
import { WatchStore } from '../../src/notifications/watchStore';
import { dataflowPresenter } from '../../src/render/dataflowCards';
import { alertPresenter } from '../../src/render/runCards';
import type { StateStores } from '../../src/storage/stateStores';
import { cardText } from './cardWalk';
import type { StateBackend } from './stateBackends';

/** The people, environment, dataflows and channel of the dataflow watcher's tests. */
export const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
export const ENV = { name: 'env-1', displayName: 'Contoso CDS', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' };
export const ACCOUNTS = '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b';
export const CONTACTS = '5b2e1d3f-8c4a-4f6e-9b0c-2d3e4f5a6b7c';
export const CHANNEL = '19:general';

/** The Bot Connector as dataflow alert tests see it: every card sent (target, text, card); a channel gets a thread with the first message. */
export class ThreadSender {
  posts: Array<{ target: SendTarget; text: string; card: unknown }> = [];
  async send(target: SendTarget, activity: OutboundActivity): Promise<DeliveryResult> {
    const card = activity.attachments?.[0]?.content;
    this.posts.push({ target, text: cardText(card), card });
    const id = `m${this.posts.length}`;
    return target.newThread && !target.replyToId ? { status: 'sent', activityId: id, threadId: id } : { status: 'sent', activityId: id };
  }
  async update(): Promise<DeliveryResult> { return { status: 'sent' }; }
}

/** What each test of a dataflow watcher suite gets: fresh state, its clock (tests set `now`), the sender, and the store and watchers over them. */
export interface DataflowWatcherTest {
  now: Date;
  readonly sender: ThreadSender;
  readonly stores: StateStores;
  /** A second connection to the same state: another instance, or this one after a restart. */
  again(): Promise<StateStores>;
  store(): DataflowWatchStore;
  /**
   * The run watcher of one instance, as the root builds it for dataflows (no lease: it always sends); `projects` reads
   * its watched projects, `onPoll` is told each poll's summary.
   */
  watcher(reads: DataflowReads, stores?: StateStores, more?: { projects?: DataIntegration; onPoll?: (summary: PollSummary) => void }): RunWatcher;
}

/** Registers a dataflow watcher suite's hooks on `backend`: before each test a fresh state, a new sender and the clock at `start`. */
export function dataflowWatcherTest(backend: StateBackend, start: number): DataflowWatcherTest {
  let opened: Awaited<ReturnType<StateBackend['open']>> | undefined;
  let sender = new ThreadSender();
  const t: DataflowWatcherTest = {
    now: new Date(start),
    get sender() { return sender; },
    get stores() { return opened!.stores; },
    again: () => opened!.again(),
    store: () => new DataflowWatchStore(t.stores.dataflowWatches, () => t.now),
    watcher: (reads, stores = t.stores, more = {}) => new RunWatcher({
      watches: new WatchStore(stores.watches, () => t.now), sender, now: () => t.now, present: alertPresenter(), integrationFor: async () => more.projects, onPoll: more.onPoll,
      dataflows: { store: new DataflowWatchStore(stores.dataflowWatches, () => t.now), present: dataflowPresenter, reads },
    }, { pollMs: 10 }),
  };
  beforeEach(async () => {
    opened = await backend.open();
    t.now = new Date(start);
    sender = new ThreadSender();
  });
  afterEach(async () => { await opened?.stores.close(); });
  afterAll(() => backend.stop());
  return t;
}
