import { issue } from '../http/sandboxHttpError';
import type { Connector, EnvironmentRecord } from '../model';
import type { TenantStore } from '../store/tenantStore';
import type { ConnectionSetRequest } from '../wire/connectionSet';
import type { ValidationIssueWire } from '../wire/common';

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} _\-().]{0,79}$/u;

/** A name the Data Integrator accepts: 1 to 80 letters, digits, spaces and - _ . ( ), starting with a letter or digit. */
export function nameIssues(field: string, name: string, urlName?: string): ValidationIssueWire[] {
  const issues: ValidationIssueWire[] = [];
  if (!NAME.test(name) || name.trim() !== name) {
    issues.push(issue(field, 'Use 1 to 80 letters, digits, spaces and - _ . ( ), starting with a letter or a digit'));
  }
  if (urlName !== undefined && urlName !== name) issues.push(issue(field, 'The name in the address and in the body differ'));
  return issues;
}

const LABELS: Readonly<Record<Connector, string>> = { dynamics365: 'Dynamics 365', dataverse: 'Common Data Service (Dataverse)' };

/** The rules of a new connection set: real connections of the right kind, two environments, matching organizations. */
export function connectionSetIssues(request: ConnectionSetRequest, tenant: TenantStore, urlName: string): ValidationIssueWire[] {
  const issues = nameIssues('name', request.name, urlName);
  const sides = [
    { role: 'dynamics', connector: 'dynamics365', wire: request.environments.dynamics365 },
    { role: 'dataverse', connector: 'dataverse', wire: request.environments.dataverse },
  ] as const;
  const environments = sides.map(({ role, connector, wire }): EnvironmentRecord | undefined => {
    const env = tenant.environments.get(wire.powerAppsEnvironment);
    if (!env) {
      issues.push(issue(`${role}.environmentName`, `Environment "${wire.powerAppsEnvironment}" was not found`));
      return undefined;
    }
    if (!env.dataverse) issues.push(issue(`${role}.environmentName`, `Environment "${env.displayName}" has no database`));
    const connection = tenant.connection(env.name, wire.name);
    if (!connection) {
      issues.push(issue(`${role}.connectionName`, `There is no connection "${wire.name}" in environment "${env.displayName}"`));
    } else if (connection.connector !== connector && !(role === 'dynamics' && connection.connector === 'dataverse')) {
      // The Dynamics 365 side also takes a Dataverse (Legacy) connection, the only kind a tenant can create since 2022.
      const message = `Choose a ${LABELS[connector]} connection; "${wire.name}" is a ${LABELS[connection.connector]} connection`;
      issues.push(issue(`${role}.connectionName`, message));
    }
    return env;
  });
  const [dynamicsEnv, dataverseEnv] = environments;
  if (dynamicsEnv && dataverseEnv && dynamicsEnv.name === dataverseEnv.name) {
    issues.push(issue('dataverse.environmentName', 'Choose two different environments for Dynamics 365 and Common Data Service'));
  }
  if (request.dataPartitionMappings.length === 0) issues.push(issue('organizationMappings', 'Add at least one organization mapping'));
  request.dataPartitionMappings.forEach((m, i) => {
    const domain = dynamicsEnv?.dataverse?.domainName;
    const field = `organizationMappings.${i}`;
    if (domain && m.firstPartition.toLowerCase() !== domain) {
      issues.push(issue(`${field}.dynamicsOrganization`, `The Dynamics 365 organization of "${dynamicsEnv.displayName}" is "${domain}"`));
    }
    const organizationId = dataverseEnv?.dataverse?.organizationId;
    if (organizationId && m.secondPartition.toLowerCase() !== organizationId) {
      issues.push(issue(`${field}.dataverseOrganizationId`, `"${m.secondPartition}" is not the organization id of "${dataverseEnv.displayName}"`));
    }
  });
  return issues;
}
