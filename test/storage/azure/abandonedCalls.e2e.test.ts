import type { ApprovalRequest } from '../../../src/scheduleApprovals/approvalRequest';
import type { Watch } from '../../../src/notifications/watchStore';
import { createLogger } from '../../../src/logger';
import { openAzureStateStores } from '../../../src/storage/azure/azureStateStores';
import { azureTarget } from '../../../src/storage/azure/azureTarget';
import { boundedStores, STATE_DEADLINE_MS } from '../../../src/storage/boundedStores';
import { StateStores, StateStoreUnavailable } from '../../../src/storage/stateStores';
import { Azurite, freshPrefix, startAzurite } from '../../helpers/azurite';
import { Partition, partitionFor } from '../../helpers/storagePartition';
import { botStateValue } from '../../helpers/stateBackends';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const request: ApprovalRequest = {
  id: 'req-1', projectName: 'AccSync', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, requestedBy: ADA, conversationId: '19:general;x',
  status: 'pending', requestedAt: '2025-03-01T09:00:00.000Z', expiresAt: '2025-03-04T09:00:00.000Z', approverUserIds: [],
};
const watch: Watch = { projectName: 'AccSync', conversationId: '19:general', owner: ADA, notifyLevel: 'all', since: '2025-03-01T09:00:00.000Z' };
const reference = { conversationId: '19:general', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', conversation: { id: '19:general' } } };
const LOCK = 'msteams/conversations/19:general/users/29:ada';

/** One write to each store a turn or a poll writes: bot state (Blob) and approvals, watches, locks, references (Tables). */
const writes = (s: StateStores) => ({
  'bot state': () => s.storage.write({ 'conv/flow': { step: 2, eTag: '*' } }),
  approvals: () => s.approvals.createUnlessPending(request, request.requestedAt),
  watches: () => s.watches.put(watch, undefined),
  'person locks': () => s.flowLocks.tryAcquire(LOCK, 'abandoned', 60_000),
  'conversation references': () => s.refs.save(reference),
});

/** What storage holds of those writes, read past the cut: none of them, and the bot state as it was. */
async function landed(direct: StateStores) {
  return {
    'bot state': await botStateValue(direct.storage, 'conv/flow'),
    approvals: await direct.approvals.get(request.id),
    watches: await direct.watches.get(watch),
    // A lock that landed would refuse another owner for a minute.
    'person locks': !(await direct.flowLocks.tryAcquire(LOCK, 'checker', 1)) || undefined,
    'conversation references': await direct.refs.get(reference.conversationId),
  };
}

const NOTHING_LANDED = { 'bot state': { step: 1, eTag: expect.any(String) }, approvals: undefined, watches: undefined, 'person locks': undefined, 'conversation references': undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Issue 28: a state call the deadline gave up on (the person told storage is not answering) is cancelled, retries
// and all: once storage answers again it has not landed, and no connection waits on storage for it.
describe('state calls given up on at the deadline are cancelled', () => {
  let azurite: Azurite;
  let blob: Partition;
  let table: Partition;
  let stores: StateStores;
  let direct: StateStores;
  const cut = (on: boolean) => { blob.cut(on); table.cut(on); };

  beforeEach(async () => {
    azurite = await startAzurite();
    [blob, table] = await Promise.all([partitionFor(azurite.blobPort), partitionFor(azurite.tablePort)]);
    const prefix = freshPrefix();
    const through = azurite.connectionString.replace(`:${azurite.blobPort}/`, `:${blob.port}/`).replace(`:${azurite.tablePort}/`, `:${table.port}/`);
    const silent = createLogger('silent');
    stores = boundedStores(await openAzureStateStores(azureTarget({ AZURE_STORAGE_CONNECTION_STRING: through, AZURE_STATE_PREFIX: prefix }), silent, 15));
    direct = await openAzureStateStores(azureTarget({ AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STATE_PREFIX: prefix }), silent, 15);
    await direct.storage.write({ 'conv/flow': { step: 1 } });
  }, 60_000);
  afterEach(async () => {
    cut(false);
    await stores.close();
    await Promise.all([blob.close(), table.close()]);
    await azurite.stop();
  });

  test('a write past the deadline fails as "storage not answering", leaves no connection waiting, and does not land once storage answers', async () => {
    cut(true);
    const started = Date.now();
    const outcomes = await Promise.allSettled(Object.values(writes(stores)).map((write) => write()));
    expect(Date.now() - started).toBeLessThan(STATE_DEADLINE_MS + 1000);
    expect(outcomes.map((o) => (o.status === 'rejected' ? o.reason : o))).toEqual(Object.values(writes(stores)).map(() => expect.any(StateStoreUnavailable)));
    // Cancelled, not merely left behind: the bot closed every connection that carried those writes.
    await sleep(200);
    expect({ blob: blob.waiting(), table: table.waiting() }).toEqual({ blob: 0, table: 0 });

    cut(false);
    await sleep(2000); // longer than the SDKs' retries would wait
    expect(await landed(direct)).toEqual(NOTHING_LANDED);
  }, 30_000);

  test('closing the stores cancels the calls still waiting on storage at once, and they do not land either', async () => {
    cut(true);
    const pending = Object.values(writes(stores)).map((write) => write());
    await sleep(300);
    const started = Date.now();
    await stores.close();
    const outcomes = await Promise.allSettled(pending);
    expect(Date.now() - started).toBeLessThan(500);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof StateStoreUnavailable)).toBe(true);
    await sleep(200);
    expect({ blob: blob.waiting(), table: table.waiting() }).toEqual({ blob: 0, table: 0 });

    cut(false);
    await sleep(2000);
    expect(await landed(direct)).toEqual(NOTHING_LANDED);
  }, 30_000);

  test('a blip (one 503 from storage) is retried within the deadline and the write lands', async () => {
    blob.busyOnce();
    table.busyOnce();
    await stores.storage.write({ 'conv/flow': { step: 2 } });
    await stores.approvals.createUnlessPending(request, request.requestedAt);
    expect({ blob: blob.busyAnswers(), table: table.busyAnswers() }).toEqual({ blob: 1, table: 1 });
    expect(await botStateValue(direct.storage, 'conv/flow')).toMatchObject({ step: 2 });
    expect((await direct.approvals.get(request.id))?.status).toBe('pending');
  }, 30_000);
});
