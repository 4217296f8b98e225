import { odata, type TableClient } from '@azure/data-tables';
import { azureTarget, tableClient } from '../../../src/storage/azure/azureTarget';
import { TableWatchRecords } from '../../../src/storage/azure/tableWatchRecords';
import { PRUNED_PER_PASS } from '../../../src/storage/azure/tableReports';
import type { StateStores } from '../../../src/storage/stateStores';
import { freshPrefix } from '../../helpers/azurite';
import { azureBackend } from '../../helpers/stateBackends';

/**
 * The lead's poll prunes "reported" records older than 46 days and waits for it. On Azure that is a scan of every
 * partition: the operator would notice polls (and so alerts) held for minutes over a year's records. A pass is
 * bounded, the scan goes on where it stopped, and a finished scan is not begun again within the hour.
 */
describe('pruning old reports on Azure Storage (Azurite)', () => {
  const backend = azureBackend();
  let stores: StateStores;
  beforeEach(async () => ({ stores } = await backend.open()));
  afterEach(async () => { await stores.close(); });
  afterAll(() => backend.stop());

  const OLD = '2025-01-01T00:00:00.000Z';
  const NEW = '2025-03-01T00:00:00.000Z';
  const key = (i: number) => ({ projectName: `Sync ${i % 7}`, conversationId: `19:c${i % 13};x` });
  const ids = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`);
  const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

  test('a pass deletes one page at most, the next goes on, a finished scan waits an hour; newer reports and dataflow reports stay', async () => {
    const total = Math.floor(PRUNED_PER_PASS * 2.5);
    for (let i = 0; i < 13 * 7; i++) await stores.watches.markReported(key(i), ids(Math.ceil(total / 91), `old${i}-`), OLD);
    const written = Math.ceil(total / 91) * 91;
    await stores.watches.markReported(key(0), ['fresh'], NEW);
    await stores.dataflowWatches.markReported({ dataflowId: 'df-1', conversationId: '19:c0;x' }, ['refresh-old'], OLD);

    const before = '2025-02-01T00:00:00.000Z';
    const passes: number[] = [];
    for (let pruned = -1; pruned !== 0;) passes.push(pruned = await stores.watches.pruneReports(before));
    expect(passes.every((n) => n <= PRUNED_PER_PASS)).toBe(true);
    expect(passes.reduce((a, b) => a + b, 0)).toBe(written);
    expect(passes.length).toBeGreaterThanOrEqual(3);

    // Old records written since: left for the next scan, which begins once `before` moved on an hour.
    await stores.watches.markReported(key(1), ['late-old'], OLD);
    expect(await stores.watches.pruneReports(at(before, 30 * 60_000))).toBe(0);
    expect(await stores.watches.pruneReports(at(before, 3_600_000))).toBe(1);

    expect((await stores.watches.reported(key(0), ['fresh', 'old0-0'])).size).toBe(1);
    expect((await stores.dataflowWatches.reported({ dataflowId: 'df-1', conversationId: '19:c0;x' }, ['refresh-old'])).size).toBe(1);
  }, 120_000);

  /**
   * The watches table of a fresh state on Azurite, seen through a client that counts the delete requests of each pass
   * (and how many were in flight at once), and can hold them unanswered (Azure throttling: the store's deadline cuts
   * the pass off, its requests are never answered).
   */
  const countedTable = async () => {
    const table = tableClient(azureTarget({ AZURE_STORAGE_CONNECTION_STRING: (await backend.azurite()).connectionString, AZURE_STATE_PREFIX: freshPrefix() }), 'watches');
    await table.createTable();
    const seen = { requests: 0, inFlight: 0, mostInFlight: 0, hang: false, firstDelete: undefined as undefined | (() => void) };
    const counted = (call: (...args: never[]) => Promise<unknown>) => async (...args: never[]) => {
      seen.requests++;
      seen.firstDelete?.();
      if (seen.hang) return new Promise(() => undefined);
      seen.mostInFlight = Math.max(seen.mostInFlight, ++seen.inFlight);
      try { return await call(...args); } finally { seen.inFlight--; }
    };
    const submitTransaction = counted((actions) => table.submitTransaction(actions));
    const deleteEntity = counted((p, r) => table.deleteEntity(p, r));
    const client = new Proxy(table, {
      get: (t, prop, receiver) => {
        if (prop === 'submitTransaction') return (a: Parameters<TableClient['submitTransaction']>[0]) => (a[0]?.[0] === 'delete' ? submitTransaction(a as never) : table.submitTransaction(a));
        if (prop === 'deleteEntity') return deleteEntity;
        return Reflect.get(t, prop, receiver) as unknown;
      },
    });
    /** How many report records are left in the table. */
    const left = async () => {
      let n = 0;
      for await (const _ of table.listEntities({ queryOptions: { filter: odata`kind eq ${'report'}`, select: ['RowKey'] } })) n++;
      return n;
    };
    return { records: new TableWatchRecords(client), seen, left };
  };

  test('old reports spread over 1,000 conversations: no pass makes more delete requests than fit the store\'s 3 s deadline; the next goes on, nothing is left', async () => {
    const { records, seen, left } = await countedTable();
    const conversation = (i: number) => `19:spread${i}`;
    for (let i = 0; i < 1000; i++) await records.markReported({ projectName: 'Sync', conversationId: conversation(i) }, ['old'], OLD);

    const before = '2025-02-01T00:00:00.000Z';
    const passes: Array<{ pruned: number; requests: number }> = [];
    for (let pruned = -1; pruned !== 0 && passes.length < 50;) {
      seen.requests = 0;
      pruned = await records.pruneReports(before);
      passes.push({ pruned, requests: seen.requests });
    }
    // A request to Azure Tables takes some 10 to 50 ms: 1,000 in a row (one per conversation) take far longer than the
    // 3 s the store gives a call, and every poll would warn "old run reports not pruned". At most 200 requests, 10 at once:
    // 20 round trips.
    expect(Math.max(...passes.map((p) => p.requests))).toBeLessThanOrEqual(200);
    expect(seen.mostInFlight).toBeLessThanOrEqual(10);
    expect(passes.reduce((n, p) => n + p.pruned, 0)).toBe(1000);
    expect(await left()).toBe(0);
  }, 120_000);

  test('a pass the store\'s deadline cuts off still moves the scan on: the next pass does not start again at the same page; what it left is pruned by the next scan', async () => {
    const { records, seen, left } = await countedTable();
    // 1,500 old reports in 15 conversations: two pages, of 10 and 5 batches.
    for (let c = 0; c < 15; c++) await records.markReported({ projectName: 'Sync', conversationId: `19:paged${c}` }, ids(100, `old${c}-`), OLD);

    const before = '2025-02-01T00:00:00.000Z';
    // The first pass reads its page, then its deletes are never answered: the store's deadline gives up on it.
    seen.hang = true;
    const deleting = new Promise<void>((resolve) => { seen.firstDelete = resolve; });
    void records.pruneReports(before);
    await deleting;
    seen.hang = false;
    seen.firstDelete = undefined;
    const passes: number[] = [];
    for (let pruned = -1; pruned !== 0 && passes.length < 50;) passes.push(pruned = await records.pruneReports(before));
    // The scan went on with the second page (500 rows), not the first again and again.
    expect(passes.reduce((a, b) => a + b, 0)).toBe(PRUNED_PER_PASS * 1.5 - PRUNED_PER_PASS);
    expect(await left()).toBe(PRUNED_PER_PASS);
    // The next scan, an hour on, finds what the cut pass left.
    expect(await records.pruneReports(at(before, 3_600_000))).toBe(PRUNED_PER_PASS);
    expect(await left()).toBe(0);
  }, 120_000);
});
