import { DataIntegrationError } from '../../src/integration';
import { CDS, SALES } from './setupFixtures';
import { type Harness, startHarness } from './harness';

describe('Power Platform calls against the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists the environments with their Dataverse details', async () => {
    const environments = await h.client.listEnvironments();
    expect(environments.map((e) => e.displayName)).toEqual(
      expect.arrayContaining(['Contoso Sales (Dynamics 365)', 'Contoso CDS', 'Contoso (default)']),
    );
    const sales = environments.find((e) => e.name === SALES.name);
    expect(sales).toMatchObject({ domainName: 'contososales', instanceUrl: 'https://contososales.crm.dynamics.com/' });
    expect(sales?.instanceApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dataverse\//);
    expect(environments.find((e) => e.isDefault)?.instanceApiUrl).toBeUndefined();
  });

  it('lists connections of an environment, by connector', async () => {
    const all = await h.client.listConnections(CDS.name);
    expect(all.map((c) => c.connector).sort()).toEqual(['dataverse', 'dynamics365']);
    const dynamics = await h.client.listConnections(SALES.name, 'dynamics365');
    expect(dynamics).toHaveLength(1);
    expect(dynamics[0]).toMatchObject({ connected: true, createdBy: 'meganb@contoso.onmicrosoft.com', environmentName: SALES.name });
  });

  it('reads the organization id with WhoAmI, by name or from the listed environment', async () => {
    expect(await h.client.getOrganizationId(CDS.name)).toBe(CDS.dataverse.organizationId);
    const sales = (await h.client.listEnvironments()).find((e) => e.name === SALES.name)!;
    expect(await h.client.getOrganizationId(sales)).toBe(SALES.dataverse.organizationId);
    expect(h.tokens.calls.map((c) => c.scope)).toContain('https://contosocds.crm.dynamics.com/.default');
  });

  it('says when an environment has no Dataverse database or does not exist', async () => {
    const noDatabase = (await h.client.listEnvironments()).find((e) => e.isDefault)!;
    await expect(h.client.getOrganizationId(noDatabase)).rejects.toMatchObject({ code: 'no_dataverse' });
    await expect(h.client.getOrganizationId('no-such-env')).rejects.toMatchObject({ code: 'not_found', service: 'bap' });
    await expect(h.client.listConnections('no-such-env')).rejects.toBeInstanceOf(DataIntegrationError);
  });
});

describe('paged lists', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const firstPage = (nextLink: string) => ({
    value: [{ id: '/environments/extra', name: 'extra', location: 'europe', properties: { displayName: 'Fabrikam Trial' } }],
    nextLink,
  });
  const environmentsUrl = () => `${h.sandbox.baseUrls.bap}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=2020-10-01`;

  it('follows nextLink to the last page', async () => {
    h.sandbox.faults.inject({ route: 'listEnvironments', body: firstPage(`${environmentsUrl()}&$skiptoken=2`), times: 1 });
    const names = (await h.client.listEnvironments()).map((e) => e.displayName);
    expect(names).toEqual(['Fabrikam Trial', expect.any(String), expect.any(String), expect.any(String)]);
  });

  it('refuses a nextLink to another host, which would receive the token', async () => {
    h.sandbox.faults.inject({ route: 'listEnvironments', body: firstPage('https://elsewhere.example.com/next'), times: 1 });
    await expect(h.client.listEnvironments()).rejects.toMatchObject({ code: 'refused_address', service: 'bap' });
  });
});
