import type { Connection, ConnectionSet, DataIntegration, EntityMapping, Environment, Template } from '../../src/integration/port';

/** How big a tenant `bigTenant` makes; every count may be 0. */
export interface BigTenantSize {
  /** Environments with a Dataverse database, each with one Dynamics 365 and one Dataverse connection of the person. */
  environments: number;
  /** Connection sets, set i joining environment 0 (the Sales one) to environment `environments - 1 - i` (set 0: the last one). */
  connectionSets?: number;
  templates?: number;
  /** How many entity mappings each template has (1 unless told), each of eight fields with long names: see bigEntityName. */
  templateMappings?: number;
  projects?: number;
}

/** Names as long as people and the service write them: environments of 60 characters, accounts of a long tenant domain. */
export const bigEnvironmentName = (i: number) => (i === 0 ? 'Contoso Sales (Dynamics 365) production Western Europe 000' : `Contoso developer environment ${String(i).padStart(3, '0')} of the finance team`);
const envId = (i: number) => `a1b2c3d4-0000-4000-8000-${String(i).padStart(12, '0')}`;
const account = 'megan.bowen.finance-operations@contosoworldwidefinance.onmicrosoft.com';
export const bigSetName = (i: number) => `D365 Sales to finance environment ${String(i).padStart(3, '0')} accounts`;
export const bigTemplateName = (i: number) => `Accounts and contacts (Sales to CDS) for the finance team, region ${String(i).padStart(3, '0')}`;
/** Entity and field names as long as a solution's logical names get (a publisher prefix, then 40-odd characters). */
export const bigEntityName = (i: number) => `contosofinance_customeraccountreconciliationentry${String(i).padStart(3, '0')}`;
const bigFieldName = (i: number, f: number) => `contosofinance_reconciliationadjustmentamount_base${i}_${f}`;
const bigMapping = (i: number): EntityMapping => ({
  sourceEntity: bigEntityName(i), destinationEntity: bigEntityName(i), integrationKey: [bigFieldName(i, 0), bigFieldName(i, 1)],
  fieldMappings: Array.from({ length: 8 }, (_, f) => ({ sourceField: bigFieldName(i, f), destinationField: bigFieldName(i, f) })),
});

/**
 * A Data Integration of an admin of a big tenant (hundreds of environments, connection sets, templates), in memory:
 * what the setup forms read, listed in no useful order as the admin APIs do.
 */
export function bigTenant(size: BigTenantSize): DataIntegration & { environments: Environment[] } {
  const environments: Environment[] = Array.from({ length: size.environments }, (_, i) => ({
    name: envId(i), id: `/providers/Microsoft.BusinessAppPlatform/environments/${envId(i)}`, displayName: bigEnvironmentName(i),
    location: 'europe', isDefault: false, domainName: `contosofinance${i}`,
    instanceUrl: `https://contosofinance${i}.crm4.dynamics.com/`, instanceApiUrl: `https://contosofinance${i}.api.crm4.dynamics.com/`,
  })).reverse();
  const connection = (env: string, connector: 'dynamics365' | 'dataverse'): Connection => ({
    name: `shared-${connector}-${env}`, id: `/connections/shared-${connector}-${env}`, environmentName: env, displayName: account,
    connector, apiId: `/apis/shared_${connector}`, connected: true,
  });
  const sets: ConnectionSet[] = Array.from({ length: size.connectionSets ?? 0 }, (_, i) => {
    const to = size.environments - 1 - i;
    return {
      name: bigSetName(i), id: `set-${i}`, displayName: bigSetName(i),
      dynamics: { connectionName: connection(envId(0), 'dynamics365').name, environmentName: envId(0) },
      dataverse: { connectionName: connection(envId(to), 'dataverse').name, environmentName: envId(to) },
      organizationMappings: [{ dynamicsOrganization: 'contosofinance0', dataverseOrganizationId: `org-${to}` }], integrationKeys: [],
    };
  }).reverse();
  const templates: Template[] = Array.from({ length: size.templates ?? 0 }, (_, i) => ({
    name: `template-${i}`, displayName: bigTemplateName(i),
    entityMappings: size.templateMappings === undefined
      ? [{ sourceEntity: 'Accounts', destinationEntity: 'Accounts', integrationKey: ['accountnumber'], fieldMappings: [{ sourceField: 'name', destinationField: 'name' }] }]
      : Array.from({ length: size.templateMappings }, (_, m) => bigMapping(m)),
  }));
  const fake: Partial<DataIntegration> = {
    listEnvironments: async () => environments,
    listConnections: async (env) => [connection(env, 'dynamics365'), connection(env, 'dataverse')],
    listConnectionSets: async () => sets,
    getConnectionSet: async (name) => sets.find((s) => s.name === name)!,
    getOrganizationId: async (env) => `org-of-${typeof env === 'string' ? env : env.name}`,
    listTemplates: async () => templates,
    listProjects: async () => Array.from({ length: size.projects ?? 0 }, (_, i) => ({ name: `Project ${i}`, displayName: `Project ${i}` })),
  };
  return Object.assign(fake as DataIntegration, { environments });
}
