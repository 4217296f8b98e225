import type { ConnectionSetInput, DataIntegration, ProjectInput } from '../../src/integration';
import { SANDBOX_ENVIRONMENTS } from '../../dev/sandbox';

export const SALES = SANDBOX_ENVIRONMENTS.sales;
export const CDS = SANDBOX_ENVIRONMENTS.cds;

/** The connection set the setup guide describes, built from what the services list (as the bot does). */
export async function accountsConnectionSet(client: DataIntegration, name = 'D365SalesAccstoCDSSalesAccs'): Promise<ConnectionSetInput> {
  const [dynamics] = await client.listConnections(SALES.name, 'dynamics365');
  const [dataverse] = await client.listConnections(CDS.name, 'dataverse');
  if (!dynamics || !dataverse) throw new Error('the seeded tenant lacks connections');
  return {
    name,
    dynamics: { connectionName: dynamics.name, environmentName: SALES.name },
    dataverse: { connectionName: dataverse.name, environmentName: CDS.name },
    organizationMappings: [{ dynamicsOrganization: SALES.dataverse.domainName, dataverseOrganizationId: await client.getOrganizationId(CDS.name) }],
  };
}

/** A project from a template over a connection set created beforehand. */
export async function createAccountsProject(
  client: DataIntegration,
  name = 'Sync accounts',
  templateName = 'Accounts (Sales to CDS)',
): Promise<ProjectInput> {
  const set = await client.createConnectionSet(await accountsConnectionSet(client, `${name} set`));
  const input: ProjectInput = {
    name, templateName, connectionSetName: set.name, organizationMapping: set.organizationMappings[0]!, consent: true,
  };
  await client.createProject(input);
  return input;
}
