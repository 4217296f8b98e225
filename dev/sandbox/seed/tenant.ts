import type { ConnectionRecord, EnvironmentRecord, SandboxUser } from '../model';

/** The sandbox's tenant id (Contoso). */
export const SANDBOX_TENANT_ID = '5c8b3a1e-2f4d-4e6a-9b7c-0d1e2f3a4b5c';

/** The user who owns the seeded connections and what is created in local mode. */
export const SANDBOX_USER: SandboxUser = {
  id: '8e1d4c2b-6a5f-4b3e-8d7c-9f0a1b2c3d4e',
  displayName: 'Megan Bowen',
  userPrincipalName: 'meganb@contoso.onmicrosoft.com',
};

/** The seeded environments: Dynamics 365 Sales, a Dataverse (CDS) one, and the default one without a database. */
export const SANDBOX_ENVIRONMENTS = {
  sales: {
    name: '0b7f3e2a-5c1d-4f8e-a9b6-3d2c1e0f9a8b',
    displayName: 'Contoso Sales (Dynamics 365)',
    location: 'unitedstates',
    isDefault: false,
    sku: 'Production',
    dataverse: {
      domainName: 'contososales',
      uniqueName: 'unq0b7f3e2a5c1d4f8ea9b63d2c1e0f9a8b',
      instanceUrl: 'https://contososales.crm.dynamics.com/',
      organizationId: '3f9c2d1a-8b7e-4c6d-9e5f-1a2b3c4d5e6f',
      businessUnitId: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d',
    },
  },
  cds: {
    name: '7d4e9a1b-2c3f-4b5a-8e6d-0f1a2b3c4d5e',
    displayName: 'Contoso CDS',
    location: 'unitedstates',
    isDefault: false,
    sku: 'Production',
    dataverse: {
      domainName: 'contosocds',
      uniqueName: 'unq7d4e9a1b2c3f4b5a8e6d0f1a2b3c4d5e',
      instanceUrl: 'https://contosocds.crm.dynamics.com/',
      organizationId: '6e2a8c4f-1d3b-4a5e-b7c9-8d0e2f4a6b8c',
      businessUnitId: 'b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5f',
    },
  },
  default: {
    name: `Default-${SANDBOX_TENANT_ID}`,
    displayName: 'Contoso (default)',
    location: 'unitedstates',
    isDefault: true,
    sku: 'Default',
  },
} as const satisfies Record<string, EnvironmentRecord>;

const CONNECTOR_PREFIX = { dynamics365: 'shared-dynamicscrmonl', dataverse: 'shared-commondataser' } as const;

/**
 * A Dynamics 365 and a Dataverse connection in each environment with a database. An environment in
 * `withoutDynamicsConnectionIn` gets neither in the Sales environment (nothing there can be the Dynamics 365 side); with
 * `legacyDynamicsConnector` false no environment has a Dynamics 365 connection, as in a tenant set up after April 2022.
 */
export function seedConnections(withoutDynamicsConnectionIn: readonly string[] = [], legacyDynamicsConnector = true): ConnectionRecord[] {
  const skipped = new Set(withoutDynamicsConnectionIn.map((s) => s.toLowerCase()));
  const environments = [SANDBOX_ENVIRONMENTS.sales, SANDBOX_ENVIRONMENTS.cds];
  const lacksDynamics = (env: EnvironmentRecord) => skipped.has(env.name.toLowerCase()) || skipped.has(env.displayName.toLowerCase());
  return environments.flatMap((env, e) =>
    (['dynamics365', 'dataverse'] as const)
      .filter((connector) => (connector !== 'dynamics365' || legacyDynamicsConnector) && !(lacksDynamics(env) && (connector === 'dynamics365' || env === SANDBOX_ENVIRONMENTS.sales)))
      .map((connector) => ({
        name: `${CONNECTOR_PREFIX[connector]}-${e}${connector.length}3f5a2b-9c8d-4e7f-a6b5-c4d3e2f1a0b9`,
        environment: env.name,
        connector,
        displayName: SANDBOX_USER.userPrincipalName,
        createdTime: '2024-03-11T09:30:00Z',
        createdBy: SANDBOX_USER,
      })),
  );
}
