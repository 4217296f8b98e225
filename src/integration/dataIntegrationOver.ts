import { DataIntegrationError } from './errors';
import type { DataIntegration, Environment } from './port';
import type { BapClient } from './services/bapClient';
import type { DataverseClient } from './services/dataverseClient';
import type { IntegratorClient } from './services/integratorClient';
import type { PowerAppsClient } from './services/powerAppsClient';

/** The services one DataIntegration talks to. */
export interface ServiceClients {
  bap: BapClient;
  powerApps: PowerAppsClient;
  dataverse: DataverseClient;
  integrator: IntegratorClient;
}

type IntegratorMethods = Omit<DataIntegration, 'listEnvironments' | 'listConnections' | 'getOrganizationId' | 'recordNames'>;

/** Creates the DataIntegration that routes each method to the service that owns it. */
export function dataIntegrationOver(clients: ServiceClients): DataIntegration {
  const { bap, powerApps, dataverse, integrator } = clients;

  const environmentNamed = async (name: string): Promise<Environment> => {
    const environment = (await bap.listEnvironments()).find((e) => e.name === name);
    if (environment) return environment;
    throw new DataIntegrationError(`Environment "${name}" was not found`, { service: 'bap', code: 'not_found', status: 404 });
  };
  const asEnvironment = async (environment: Environment | string) =>
    typeof environment === 'string' ? environmentNamed(environment) : environment;

  const integratorMethods: IntegratorMethods = {
    listConnectionSets: () => integrator.listConnectionSets(),
    getConnectionSet: (name) => integrator.getConnectionSet(name),
    createConnectionSet: (input) => integrator.createConnectionSet(input),
    listTemplates: () => integrator.listTemplates(),
    listProjects: () => integrator.listProjects(),
    getProject: (name) => integrator.getProject(name),
    createProject: (input) => integrator.createProject(input),
    runProject: (name) => integrator.runProject(name),
    listExecutions: (projectName) => integrator.listExecutions(projectName),
    getExecution: (projectName, executionId) => integrator.getExecution(projectName, executionId),
    getSchedule: (projectName) => integrator.getSchedule(projectName),
    setSchedule: (projectName, recurrence) => integrator.setSchedule(projectName, recurrence),
    pauseSchedule: (projectName) => integrator.pauseSchedule(projectName),
    resumeSchedule: (projectName) => integrator.resumeSchedule(projectName),
    saveProjectAsTemplate: (projectName, templateName) => integrator.saveProjectAsTemplate(projectName, templateName),
  };

  return {
    listEnvironments: () => bap.listEnvironments(),
    listConnections: (environmentName, connector) => powerApps.listConnections(environmentName, connector),
    getOrganizationId: async (environment) => dataverse.organizationId(await asEnvironment(environment)),
    recordNames: async (environment, entity, ids) => dataverse.recordNames(await asEnvironment(environment), entity, ids),
    ...integratorMethods,
  };
}
