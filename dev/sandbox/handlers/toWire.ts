import type { ConnectionRecord, ConnectionSetRecord, EnvironmentRecord, ProjectRecord, TemplateRecord } from '../model';
import { SANDBOX_TENANT_ID } from '../seed/tenant';
import type { ExecutionRecord, RecordErrorRecord } from '../store/executionStore';
import type { ScheduleRecord } from '../store/scheduleStore';
import type { ConnectionSetSideWire, ConnectionSetWire } from '../wire/connectionSet';
import { type ExecutionWire, UNDER_WAY } from '../wire/execution';
import { partitionsOf } from '../wire/partition';
import { API_OF_CONNECTOR, type ConnectionWire, type EnvironmentWire } from '../wire/powerPlatform';
import { type ProjectWire, type TemplateWire, tasksOf } from '../wire/project';
import { recurrenceWire, type ScheduleWire } from '../wire/schedule';

/** A BAP environment whose Web API points back at this sandbox. */
export function environmentWire(env: EnvironmentRecord, origin: string): EnvironmentWire {
  const { dataverse } = env;
  return {
    id: `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${env.name}`,
    name: env.name,
    location: env.location,
    properties: {
      displayName: env.displayName,
      isDefault: env.isDefault,
      environmentSku: env.sku,
      linkedEnvironmentMetadata: dataverse && {
        instanceUrl: dataverse.instanceUrl,
        instanceApiUrl: `${origin}/dataverse/${encodeURIComponent(env.name)}/`,
        uniqueName: dataverse.uniqueName,
        domainName: dataverse.domainName,
      },
    },
  };
}

/** A PowerApps connection. */
export function connectionWire(c: ConnectionRecord): ConnectionWire {
  const apiId = API_OF_CONNECTOR[c.connector];
  return {
    name: c.name,
    id: `${apiId}/connections/${c.name}`,
    properties: {
      apiId,
      displayName: c.displayName,
      createdTime: c.createdTime,
      createdBy: { displayName: c.createdBy.displayName, userPrincipalName: c.createdBy.userPrincipalName },
      statuses: [{ status: 'Connected' }],
    },
  };
}

/** A stored connection set, with display names looked up in the tenant. */
export function connectionSetWire(
  set: ConnectionSetRecord,
  environments: (name: string) => EnvironmentRecord | undefined,
): ConnectionSetWire {
  const side = (endpoint: ConnectionSetRecord['dynamics'], targetType: ConnectionSetSideWire['targetType']): ConnectionSetSideWire => {
    const env = environments(endpoint.environmentName);
    return {
      name: endpoint.connectionName,
      targetType,
      environmentDisplayName: env?.displayName,
      powerAppsEnvironment: endpoint.environmentName,
      directUrl: env?.dataverse?.instanceUrl,
      needsIntegrationKey: targetType === 'CDS',
    };
  };
  const keys = set.integrationKeys.map((k) => ({ name: k.entity, displayName: k.entity, fields: k.fields }));
  return {
    id: set.id, name: set.name, displayName: set.name, owner: set.owner, createdDateTime: set.createdAt, tenant: SANDBOX_TENANT_ID,
    environments: { dynamics365: side(set.dynamics, 'CRM'), dataverse: { ...side(set.dataverse, 'CDS'), schemas: [{ keys }] } },
    dataPartitionMappings: set.organizationMappings.map((m) =>
      partitionsOf(m, { dynamics: set.dynamics.environmentName, dataverse: set.dataverse.environmentName }),
    ),
  };
}

/** A template. */
export const templateWire = (t: TemplateRecord): TemplateWire => ({
  id: t.id, name: t.name, displayName: t.name, description: t.description, entityMappingTasks: tasksOf(t.entityMappings),
});

/** A project with its tasks bound to the connection set's environments. */
export function projectWire(p: ProjectRecord): ProjectWire {
  const { sourceEnvironment, destinationEnvironment } = p;
  return {
    id: p.id, name: p.name, displayName: p.name, owner: p.owner, createdDateTime: p.createdAt, tenant: SANDBOX_TENANT_ID,
    templateIdentifier: p.templateName, projectState: 'Active', validationIssues: [],
    entityMappingTasks: tasksOf(p.entityMappings, { connectionSetName: p.connectionSetName, sourceEnvironment, destinationEnvironment }),
    dataPartitionMapping: partitionsOf(p.organizationMapping, { dynamics: sourceEnvironment, dataverse: destinationEnvironment }),
  };
}

/** A run with its per-leg figures and rejected records. */
export function executionWire(e: ExecutionRecord, errors: RecordErrorRecord[]): ExecutionWire {
  const finished = !UNDER_WAY.includes(e.status);
  return {
    id: e.id, projectName: e.projectName, displayName: e.projectName, submittedOn: e.submittedAt, startedOn: e.startedAt,
    executionStatus: e.status, lastExecutionStatusChangeOn: e.endedAt ?? e.startedAt ?? e.submittedAt,
    upsertCount: e.upserts, errorCount: e.errors,
    taskExecutionStatuses: e.legs.map((leg, index) => ({
      name: leg.task,
      status: e.status,
      isRunning: !finished,
      legs: [{
        status: e.status, details: e.details, exportRecordCount: leg.exported, exportRecordErrorCount: 0,
        importRecordsInserted: leg.inserted, importRecordsUpdated: leg.updated, importRecordErrorCount: leg.errors,
        importErrors: errors
          .filter((r) => r.leg === index)
          .map((r) => ({ recordId: r.recordId, sourceField: r.field, errorMessage: r.message })),
      }],
    })),
  };
}

/** A schedule. */
export const scheduleWire = (s: ScheduleRecord): ScheduleWire => ({
  projectName: s.projectName,
  recurrence: recurrenceWire(s.cadence),
  isPaused: s.paused,
  nextRunTime: s.nextRunAt === undefined || s.paused ? null : new Date(s.nextRunAt).toISOString(),
});
