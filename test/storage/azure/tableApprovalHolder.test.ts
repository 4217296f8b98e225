import { TableClient } from '@azure/data-tables';
import type { ApprovalRequest } from '../../../src/scheduleApprovals/approvalRequest';
import { AzureTarget, azureTarget, tableClient } from '../../../src/storage/azure/azureTarget';
import { TableApprovalStore } from '../../../src/storage/azure/tableApprovalStore';
import { Azurite, freshPrefix, startAzurite } from '../../helpers/azurite';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const NOW = '2025-03-01T09:00:00.000Z';
const request = (id: string, projectName = 'AccSync'): ApprovalRequest => ({
  id, projectName, recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, requestedBy: ADA, conversationId: '19:general',
  status: 'pending', requestedAt: NOW, expiresAt: '2025-03-04T09:00:00.000Z', approverUserIds: [],
});

// Azure Tables has no transaction across partitions: a project's holder is written before its request. What a
// stop between the two writes leaves, and the requests written before holders existed, keep one open request a project.
describe('the holder of a project in Azure Tables', () => {
  let azurite: Azurite;
  let target: AzureTarget;
  let table: TableClient;
  beforeEach(async () => {
    azurite ??= await startAzurite();
    target = azureTarget({ AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STATE_PREFIX: freshPrefix() });
    table = tableClient(target, 'approvals');
    await table.createTable();
  }, 60_000);
  afterAll(() => azurite?.stop());

  test('an instance that stops after taking the holder, before writing its request: the next one asking writes that request and is told it is pending', async () => {
    const stopping = tableClient(target, 'approvals');
    stopping.submitTransaction = async () => { throw new Error('the instance stopped'); };
    await expect(new TableApprovalStore(stopping).createUnlessPending(request('first'), NOW)).rejects.toThrow('the instance stopped');
    const store = new TableApprovalStore(table);
    expect(await store.get('first')).toBeUndefined();

    expect((await store.createUnlessPending(request('second'), NOW))?.id).toBe('first');
    expect(await store.get('first')).toMatchObject({ status: 'pending', projectName: 'AccSync' });
    expect(await store.get('second')).toBeUndefined();
    expect((await store.history('AccSync')).map((e) => [e.action, e.requestId])).toEqual([['requested', 'first']]);
  }, 30_000);

  test('a creator slow to write its request after taking the holder, and the one who writes it for her meanwhile: one request, one trail entry', async () => {
    const slow = tableClient(target, 'approvals');
    const submit = slow.submitTransaction.bind(slow);
    let reached!: () => void;
    let go!: () => void;
    const atWrite = new Promise<void>((r) => (reached = r));
    const gate = new Promise<void>((r) => (go = r));
    slow.submitTransaction = async (actions) => { reached(); await gate; return submit(actions); };
    const creating = new TableApprovalStore(slow).createUnlessPending(request('first'), NOW);
    await atWrite;
    const store = new TableApprovalStore(table);
    expect((await store.createUnlessPending(request('second'), NOW))?.id).toBe('first');
    go();
    expect(await creating).toBeUndefined();
    expect((await store.history('AccSync')).map((e) => [e.action, e.requestId])).toEqual([['requested', 'first']]);
  }, 30_000);

  test('a request written without a holder (an older version, or migrate-state) is taken in: the project is pending', async () => {
    const store = new TableApprovalStore(table);
    const name = `Long/Name #${'x'.repeat(600)}`; // longer than a row key may be once encoded, and with characters one may not hold
    await store.importRequest(request('old', name), [], []);
    expect((await store.createUnlessPending(request('new', name.toUpperCase()), NOW))?.id).toBe('old');
    expect(await store.createUnlessPending(request('newer', name), '2025-03-04T09:00:00.000Z')).toBeUndefined();
    expect((await store.pendingFor(name))?.id).toBe('newer');
  }, 30_000);
});
