import { createDataIntegration, staticTokenProvider } from '../../src/integration';
import type { DataIntegration } from '../../src/integration/port';
import { type Sandbox, SANDBOX_ENVIRONMENTS } from '../../dev/sandbox';

/** Gives a person's own client of the sandbox (`sandbox()`: the one running), with a sign-in (token) nobody else has. */
export function signedInTo(sandbox: () => Sandbox): (who: string) => DataIntegration {
  let tokens = 0;
  return (who) => createDataIntegration({
    baseUrls: sandbox().baseUrls, tokens: staticTokenProvider(`${who}-token-${(tokens += 1)}`), timeoutMs: 5000, maxRetries: 1, backoff: { initialDelayMs: 10, maxDelayMs: 50 },
  });
}

/** Creates a connection set and an "Accounts (Sales to CDS)" project in the sandbox, as the setup flow does. */
export async function createSandboxProject(di: DataIntegration, projectName: string): Promise<void> {
  const { sales, cds } = SANDBOX_ENVIRONMENTS;
  const [dynamics] = await di.listConnections(sales.name, 'dynamics365');
  const [dataverse] = await di.listConnections(cds.name, 'dataverse');
  const mapping = { dynamicsOrganization: sales.dataverse.domainName, dataverseOrganizationId: await di.getOrganizationId(cds.name) };
  const setName = `${projectName.replace(/\W/g, '')}Set`;
  await di.createConnectionSet({
    name: setName,
    dynamics: { connectionName: dynamics.name, environmentName: sales.name },
    dataverse: { connectionName: dataverse.name, environmentName: cds.name },
    organizationMappings: [mapping],
  });
  await di.createProject({ name: projectName, templateName: 'Accounts (Sales to CDS)', connectionSetName: setName, organizationMapping: mapping, consent: true });
}
