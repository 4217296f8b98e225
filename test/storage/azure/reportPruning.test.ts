import { PRUNED_PER_PASS } from '../../../src/storage/azure/tableReports';
import type { StateStores } from '../../../src/storage/stateStores';
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
});
