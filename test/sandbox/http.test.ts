import { type Harness, startHarness } from '../integration/harness';
import { CDS, SALES } from '../integration/setupFixtures';

describe('the sandbox over plain HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const get = (url: string, token?: string) =>
    fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  it('asks for a bearer token on every call', async () => {
    const url = `${h.sandbox.baseUrls.integrator}/api/ProjectSummary`;
    const anonymous = await get(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.json()).toEqual({ error: { code: 'NoToken', message: 'The request has no bearer token' } });
    expect((await get(url, 'anything')).status).toBe(200);
  });

  it('answers unknown routes, wrong methods and a missing api-version like the services', async () => {
    expect((await get(`${h.sandbox.baseUrls.integrator}/api/Nope`, 't')).status).toBe(404);
    expect((await fetch(`${h.sandbox.baseUrls.integrator}/api/ProjectSummary`, { method: 'DELETE', headers: { authorization: 'Bearer t' } })).status).toBe(405);
    const noVersion = await get(`${h.sandbox.baseUrls.bap}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments`, 't');
    expect(noVersion.status).toBe(400);
    expect(((await noVersion.json()) as { error: { code: string } }).error.code).toBe('InvalidApiVersionParameter');
  });

  it('validates request bodies and reports each problem as a validation issue', async () => {
    const response = await fetch(`${h.sandbox.baseUrls.integrator}/api/ConnectionSet/broken`, {
      method: 'PUT',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'broken', environments: {} }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { validationIssues: { field: string; severity: string }[] };
    expect(body.validationIssues.map((i) => i.field)).toEqual(
      expect.arrayContaining(['environments.dynamics365', 'environments.dataverse', 'dataPartitionMappings']),
    );
  });

  it('takes faults from its admin route and clears them', async () => {
    const admin = `http://127.0.0.1:${h.sandbox.port}/_sandbox/faults`;
    const injected = await fetch(admin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'listTemplates', status: 500 }),
    });
    expect(injected.status).toBe(200);
    await expect(h.clientWith({ maxRetries: 0 }).listTemplates()).rejects.toMatchObject({ code: 'server_error' });
    expect((await fetch(admin, { method: 'DELETE' })).status).toBe(200);
    await expect(h.client.listTemplates()).resolves.toHaveLength(3);
  });

  it('points each environment at its own Dataverse root', async () => {
    const sales = (await h.client.listEnvironments()).find((e) => e.name === SALES.name)!;
    const whoAmI = await get(`${sales.instanceApiUrl}api/data/v9.2/WhoAmI()`, 't');
    expect(((await whoAmI.json()) as { OrganizationId: string }).OrganizationId).toBe(SALES.dataverse.organizationId);
  });
});

// Issue 12, item 25 changed these: since 2022 a Dataverse (Legacy) connection in the Sales environment is the Dynamics 365
// side, so "without a Dynamics 365 connection" now means without any connection there that could be it.
describe('a tenant without a connection usable as the Dynamics 365 side in the Sales environment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: { withoutDynamicsConnectionIn: ['Contoso Sales (Dynamics 365)'] } });
  });
  afterAll(() => h.close());

  it('lets the setup flow find the missing prerequisite', async () => {
    expect(await h.client.listConnections(SALES.name, 'dynamics365')).toEqual([]);
    expect(await h.client.listConnections(SALES.name, 'dataverse')).toEqual([]);
    expect(await h.client.listConnections(CDS.name, 'dataverse')).toHaveLength(1);
  });
});

describe('a tenant of today: no Dynamics 365 connector, Sales read through a Dataverse connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: { legacyDynamicsConnector: false } });
  });
  afterAll(() => h.close());

  it('has no Dynamics 365 connection anywhere', async () => {
    expect(await h.client.listConnections(SALES.name, 'dynamics365')).toEqual([]);
    expect(await h.client.listConnections(CDS.name, 'dynamics365')).toEqual([]);
  });

  it('accepts a Dataverse connection as the Dynamics 365 side, and still refuses the wrong kind on the Dataverse side', async () => {
    const [salesDataverse] = await h.client.listConnections(SALES.name, 'dataverse');
    const [cdsDataverse] = await h.client.listConnections(CDS.name, 'dataverse');
    const spec = (name: string, dataverse: string) => ({
      name,
      dynamics: { connectionName: salesDataverse!.name, environmentName: SALES.name },
      dataverse: { connectionName: dataverse, environmentName: CDS.name },
      organizationMappings: [{ dynamicsOrganization: 'contososales', dataverseOrganizationId: CDS.dataverse.organizationId }],
    });
    await expect(h.client.createConnectionSet(spec('Accounts', cdsDataverse!.name))).resolves.toMatchObject({ name: 'Accounts' });
    await expect(h.client.createConnectionSet(spec('Accounts2', 'shared-dynamicscrmonl-nowhere'))).rejects.toMatchObject({
      validationIssues: [expect.objectContaining({ field: 'dataverse.connectionName' })],
    });
  });
});
