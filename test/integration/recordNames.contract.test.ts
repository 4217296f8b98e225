import { DataIntegrationError } from '../../src/integration';
import { SALES } from './setupFixtures';
import { type Harness, startHarness } from './harness';

/** Dataverse's `GET {entitySet}?$select=…&$filter=id eq … or …` against the sandbox's seeded source rows. */
describe('record names from the source environment (Dataverse Web API)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: { accounts: 200 } });
  });
  afterAll(() => h.close());
  afterEach(() => h.sandbox.faults.clear());

  const accounts = () => h.sandbox.sourceRows(SALES.name, 'account');

  it('names accounts by id in one request: primary name and account number', async () => {
    const rows = accounts().slice(0, 3);
    const before = h.tokens.calls.length;
    const names = await h.client.recordNames(SALES.name, 'account', rows.map((r) => r.recordId.toUpperCase()));
    expect([...names.entries()]).toEqual(rows.map((r) => [r.recordId.toUpperCase(), { name: r.data.name, number: r.data.accountnumber }]));
    expect(h.tokens.calls.slice(before).map((c) => c.scope)).toContain('https://contososales.crm.dynamics.com/.default');
  });

  it('an account without a name keeps its number; contacts are named by their full name', async () => {
    const nameless = accounts().find((r) => r.data.name === undefined)!;
    expect((await h.client.recordNames(SALES.name, 'account', [nameless.recordId])).get(nameless.recordId))
      .toEqual({ number: nameless.data.accountnumber });
    const [contact] = h.sandbox.sourceRows(SALES.name, 'contact');
    expect((await h.client.recordNames(SALES.name, 'Contact', [contact!.recordId])).get(contact!.recordId))
      .toEqual({ name: `${String(contact!.data.firstname)} ${String(contact!.data.lastname)}` });
  });

  it('asks Dataverse nothing for an unknown table or ids that are not GUIDs, and leaves out records not found', async () => {
    const dataverseCalls = () => h.tokens.calls.filter((c) => c.scope.startsWith('https://contososales.')).length;
    const before = dataverseCalls();
    expect((await h.client.recordNames(SALES.name, 'msdyn_widget', [accounts()[0]!.recordId])).size).toBe(0);
    expect((await h.client.recordNames(SALES.name, 'account', ["x' or 1 eq 1", ''])).size).toBe(0);
    expect(dataverseCalls()).toBe(before);
    const missing = '00000000-0000-4000-a000-000000000000';
    expect((await h.client.recordNames(SALES.name, 'account', [missing])).size).toBe(0);
  });

  it('the sandbox refuses what it cannot evaluate, as Dataverse does: unknown set, column or filter', async () => {
    const base = (await h.client.listEnvironments()).find((e) => e.name === SALES.name)!.instanceApiUrl!;
    const get = (path: string) => fetch(`${base}api/data/v9.2/${path}`, { headers: { authorization: 'Bearer t' } });
    expect((await get('widgets?$filter=widgetid eq 1')).status).toBe(404);
    expect((await get('accounts?$select=nosuchcolumn&$filter=accountid eq 00000000-0000-4000-a000-000000000000')).status).toBe(400);
    expect((await get('accounts?$filter=name eq \'x\'')).status).toBe(400);
    expect((await get('WhoAmI()')).status).toBe(200);
  });

  it('a failing lookup rejects with the one typed error (the cards catch it)', async () => {
    h.sandbox.faults.inject({ route: 'listRecords', status: 500 });
    const lookup = h.clientWith({ maxRetries: 0 }).recordNames(SALES.name, 'account', [accounts()[0]!.recordId]);
    await expect(lookup).rejects.toBeInstanceOf(DataIntegrationError);
    await expect(lookup).rejects.toMatchObject({ service: 'dataverse', code: 'server_error' });
  });
});
