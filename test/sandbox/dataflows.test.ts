import { randomUUID } from 'node:crypto';
import { DATAFLOW_ENVIRONMENT, FLAKY_FAILS_EVERY, SANDBOX_DATAFLOWS, SANDBOX_ENVIRONMENTS } from '../../dev/sandbox';
import { type DataflowRefresh, DataIntegrationError, type Environment } from '../../src/integration';
import { MAX_DATAFLOWS_PER_QUERY } from '../../src/integration/services/dataflowClient';
import { type Harness, startHarness } from '../integration/harness';

const [steady, flaky, twoTables] = SANDBOX_DATAFLOWS as [typeof SANDBOX_DATAFLOWS[0], typeof SANDBOX_DATAFLOWS[0], typeof SANDBOX_DATAFLOWS[0]];
const ids = SANDBOX_DATAFLOWS.map((d) => d.id);

/** The dataflow tables of Dataverse, as the real client reads them from the sandbox over HTTP. */
describe('dataflows in the sandbox, read by the client', () => {
  let h: Harness;
  let environment: Environment;
  // Refreshes of the tests end in the future, ten seconds apart: each test's cursor is after the earlier tests' refreshes.
  let clock = Date.now() + 60_000;
  const cursorNow = () => new Date(clock).toISOString();
  const refreshNow = () => h.sandbox.dataflows.refreshNow(clock += 10_000);
  const dataverseCalls = () => h.tokens.calls.filter((c) => c.scope === 'https://contosocds.crm.dynamics.com/.default').length;

  beforeAll(async () => {
    // Two rows a page: every query with more rows than that follows @odata.nextLink.
    h = await startHarness({ dataflowEverySeconds: 3600, dataversePageSize: 2 });
    environment = (await h.client.listEnvironments()).find((e) => e.name === DATAFLOW_ENVIRONMENT.name)!;
  });
  afterAll(() => h.close());

  test('the environment lists its three dataflows by name, each with its last refresh from the seeded history', async () => {
    const dataflows = await h.client.listDataflows(DATAFLOW_ENVIRONMENT.name);
    expect(dataflows.map((d) => d.name)).toEqual(SANDBOX_DATAFLOWS.map((d) => d.name).sort());
    for (const dataflow of dataflows) {
      expect(dataflow).toMatchObject({ active: true, lastRefresh: { dataflowId: dataflow.id, status: 'Success', outcome: 'succeeded' } });
      expect(Date.parse(dataflow.lastRefresh!.endedAt)).toBeLessThan(Date.now());
    }
  });

  test('one query (its pages followed) returns every refresh of the watched dataflows that ended since the cursor, oldest first', async () => {
    const cursor = cursorNow();
    const first = refreshNow();
    const second = refreshNow();
    const before = dataverseCalls();
    const refreshes = await h.client.refreshesEndedSince(environment, ids, cursor);
    expect(refreshes.map((r) => r.id).sort()).toEqual([...first, ...second].sort());
    expect(refreshes.map((r) => r.endedAt)).toEqual(refreshes.map((r) => r.endedAt).sort());
    // Six rows at two a page: one query, three pages; nothing before the cursor.
    expect(dataverseCalls() - before).toBe(3);
    expect(await h.client.refreshesEndedSince(environment, ids, refreshes.at(-1)!.endedAt)).toEqual([]);
  });

  test('only the dataflows asked for, and nothing asked of Dataverse for ids that are not GUIDs', async () => {
    const cursor = cursorNow();
    refreshNow();
    const refreshes = await h.client.refreshesEndedSince(environment, [steady.id.toUpperCase()], cursor);
    expect(refreshes).toEqual([expect.objectContaining({ dataflowId: steady.id, dataflowName: steady.name, outcome: 'succeeded' })]);
    const before = dataverseCalls();
    expect(await h.client.refreshesEndedSince(environment, ["x' or 1 eq 1", ''], cursor)).toEqual([]);
    expect(dataverseCalls()).toBe(before);
  });

  test('a failed refresh of the flaky dataflow names its table, its error count and the first error message', async () => {
    let failed: DataflowRefresh | undefined;
    for (let i = 0; i < FLAKY_FAILS_EVERY && !failed; i += 1) {
      const cursor = cursorNow();
      refreshNow();
      failed = (await h.client.refreshesEndedSince(environment, [flaky.id], cursor)).find((r) => r.outcome === 'failed');
    }
    expect(failed).toMatchObject({ status: 'Failed', errorInfo: expect.stringContaining('failed to refresh') });
    const [table, ...others] = await h.client.tableRefreshes(environment, failed!.id);
    expect(others).toEqual([]);
    expect(table).toMatchObject({ tableName: 'contact', outcome: 'failed', inserted: 0, upserted: 0, errors: expect.any(Number), errorCode: 'DataFormat.Error' });
    expect(table!.errors).toBeGreaterThan(0);
    expect(table!.errorMessage).toMatch(/^We couldn't convert to Number/);
  });

  test('a refresh of the two-table dataflow lists both tables with their counts', async () => {
    const cursor = cursorNow();
    refreshNow();
    const [refresh] = await h.client.refreshesEndedSince(environment, [twoTables.id], cursor);
    const tables = await h.client.tableRefreshes(environment, refresh!.id);
    expect(tables.map((t) => t.tableName)).toEqual(['pricelevel', 'product']);
    for (const t of tables) expect(t).toMatchObject({ outcome: 'succeeded', errors: 0, inserted: expect.any(Number), upserted: expect.any(Number) });
  });

  test('more watched dataflows than one filter holds: one query per MAX_DATAFLOWS_PER_QUERY ids, answers merged oldest first', async () => {
    const cursor = cursorNow();
    const made = [...refreshNow(), ...refreshNow()];
    const many = [...Array.from({ length: MAX_DATAFLOWS_PER_QUERY }, () => randomUUID()), ...ids];
    const before = dataverseCalls();
    const refreshes = await h.client.refreshesEndedSince(environment, many, cursor);
    expect(refreshes.map((r) => r.id).sort()).toEqual(made.sort());
    expect(refreshes.map((r) => r.endedAt)).toEqual(refreshes.map((r) => r.endedAt).sort());
    // The first query (100 ids, none of the sandbox's) has one page; the second (3 ids, 6 rows) three.
    expect(dataverseCalls() - before).toBe(4);
  });

  test('a failing Dataverse, or an environment without one, rejects with the one typed error', async () => {
    h.sandbox.faults.inject({ route: 'listDataflowRefreshes', status: 503 });
    const failing = h.clientWith({ maxRetries: 0 }).refreshesEndedSince(environment, ids, cursorNow());
    await expect(failing).rejects.toBeInstanceOf(DataIntegrationError);
    await expect(failing).rejects.toMatchObject({ service: 'dataverse', status: 503 });
    h.sandbox.faults.clear();
    await expect(h.client.listDataflows(SANDBOX_ENVIRONMENTS.default.name)).rejects.toMatchObject({ service: 'dataverse', code: 'no_dataverse' });
  });

  test('the sandbox answers what it cannot evaluate as Dataverse does: 400 with its error shape', async () => {
    const get = async (query: string) => {
      const response = await fetch(`${environment.instanceApiUrl}api/data/v9.2/${query}`, { headers: { authorization: 'Bearer t' } });
      return { status: response.status, body: await response.json() as { error: { code: string; message: string } } };
    };
    expect(await get('msdyn_dataflowrefreshhistories?$skip=10')).toEqual({ status: 400, body: { error: { code: '0x80060888', message: 'The query parameter $skip is not supported' } } });
    expect((await get('msdyn_dataflows?$expand=owninguser')).status).toBe(400);
    expect((await get('msdyn_dataflows?$select=msdyn_nosuchcolumn')).body.error.message).toBe("Could not find a property named 'msdyn_nosuchcolumn' on type 'Microsoft.Dynamics.CRM.msdyn_dataflow'.");
    expect((await get("msdyn_dataflowrefreshhistories?$filter=msdyn_endtime gt 'yesterday'")).status).toBe(400);
    expect((await get('msdyn_dataflowrefreshhistories?$filter=(msdyn_dataflowid eq')).status).toBe(400);
    expect((await get('msdyn_dataflows?$orderby=msdyn_name sideways')).status).toBe(400);
  });
});

describe('a dataflow deleted in the environment', () => {
  test('the watcher\'s listing (no filter, every page followed) no longer has it, and it no longer refreshes; its history stays', async () => {
    // Two rows a page: the three dataflows take two pages.
    const h = await startHarness({ dataflowEverySeconds: 3600, dataversePageSize: 2 });
    try {
      const environment = (await h.client.listEnvironments()).find((e) => e.name === DATAFLOW_ENVIRONMENT.name)!;
      expect((await h.client.listedDataflowIds(environment)).sort()).toEqual([...ids].sort());
      const before = new Date().toISOString();
      h.sandbox.dataflows.remove(steady.id);
      expect((await h.client.listedDataflowIds(environment)).sort()).toEqual([flaky.id, twoTables.id].sort());
      h.sandbox.dataflows.refreshNow(Date.now() + 10_000);
      expect((await h.client.refreshesEndedSince(environment, ids, before)).map((r) => r.dataflowId).sort()).toEqual([flaky.id, twoTables.id].sort());
      expect(await h.client.refreshesEndedSince(environment, [steady.id], new Date(0).toISOString())).not.toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('the sandbox refreshes its dataflows by itself', () => {
  const waitFor = async <T>(what: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await what();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  test('every SANDBOX_DATAFLOW_EVERY_SECONDS each of the three starts a refresh, which is read only once it has ended', async () => {
    const h = await startHarness({ dataflowEverySeconds: 2 });
    try {
      const cursor = new Date().toISOString();
      const environment = (await h.client.listEnvironments()).find((e) => e.name === DATAFLOW_ENVIRONMENT.name)!;
      const runningUrl = `${environment.instanceApiUrl}api/data/v9.2/msdyn_dataflowrefreshhistories?$select=msdyn_dataflowrefreshhistoryid&$filter=msdyn_endtime eq null`;
      const runningNow = async () => {
        const page = await (await fetch(runningUrl, { headers: { authorization: 'Bearer t' } })).json() as { value: { msdyn_dataflowrefreshhistoryid: string }[] };
        return page.value.map((r) => r.msdyn_dataflowrefreshhistoryid);
      };
      const running = await waitFor(async () => ((await runningNow()).length === ids.length ? runningNow() : undefined));
      const readWhileRunning = await h.client.refreshesEndedSince(environment, ids, cursor);
      // Still running after the read, so running during it (a refresh never goes back to running).
      const stillRunning = await runningNow();
      expect(readWhileRunning.filter((r) => stillRunning.includes(r.id))).toEqual([]);
      const ended = await waitFor(async () => {
        const read = (await h.client.refreshesEndedSince(environment, ids, cursor)).filter((r) => running.includes(r.id));
        return read.length === ids.length ? read : undefined;
      });
      expect(ended.map((r) => r.dataflowId).sort()).toEqual([...ids].sort());
      for (const r of ended) expect(Date.parse(r.endedAt) - Date.parse(r.startedAt!)).toBe(1000);
    } finally {
      await h.close();
    }
  });
});
