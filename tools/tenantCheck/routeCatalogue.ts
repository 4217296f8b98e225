import { z } from 'zod';
import { type RouteName, ROUTES, type RouteSpec } from '../../src/integration/routes';
import { environmentPageWireSchema } from '../../src/integration/wire/bap';
import { connectionSetRequestWireSchema, connectionSetWireSchema } from '../../src/integration/wire/connectionSet';
import { whoAmIWireSchema } from '../../src/integration/wire/dataverse';
import { dataflowPageWireSchema, dataflowRefreshPageWireSchema, tableRefreshPageWireSchema } from '../../src/integration/wire/dataflow';
import { executionHistoryWireSchema, executionWireSchema } from '../../src/integration/wire/execution';
import { connectionPageWireSchema } from '../../src/integration/wire/powerapps';
import { createProjectRequestWireSchema, projectSummaryWireSchema, projectWireSchema } from '../../src/integration/wire/project';
import { scheduleRequestWireSchema, scheduleWireSchema } from '../../src/integration/wire/schedule';
import { saveAsTemplateRequestWireSchema, templateWireSchema } from '../../src/integration/wire/template';

/** What the client expects of one route: the answer it parses and, for writes, the body it sends. */
export interface RouteWire {
  response: z.ZodType;
  request?: z.ZodType;
}

/**
 * The client's own schemas, by route (the services in src/integration parse with exactly these).
 * `listRecords` is read with a per-table schema; any OData page of rows stands for it here.
 */
export const ROUTE_WIRES: Readonly<Record<RouteName, RouteWire>> = {
  listEnvironments: { response: environmentPageWireSchema },
  listConnections: { response: connectionPageWireSchema },
  whoAmI: { response: whoAmIWireSchema },
  listDataflows: { response: dataflowPageWireSchema },
  listDataflowRefreshes: { response: dataflowRefreshPageWireSchema },
  listTableRefreshes: { response: tableRefreshPageWireSchema },
  listRecords: { response: z.object({ value: z.array(z.record(z.string(), z.unknown())) }) },
  listProjects: { response: z.array(projectSummaryWireSchema) },
  getProject: { response: projectWireSchema },
  getConnectionSet: { response: connectionSetWireSchema },
  listExecutions: { response: executionHistoryWireSchema },
  createProject: { response: projectWireSchema, request: createProjectRequestWireSchema },
  listConnectionSets: { response: z.array(connectionSetWireSchema) },
  createConnectionSet: { response: connectionSetWireSchema, request: connectionSetRequestWireSchema },
  listTemplates: { response: z.array(templateWireSchema) },
  runProject: { response: executionWireSchema },
  getSchedule: { response: scheduleWireSchema },
  setSchedule: { response: scheduleWireSchema, request: scheduleRequestWireSchema },
  pauseSchedule: { response: scheduleWireSchema },
  resumeSchedule: { response: scheduleWireSchema },
  saveProjectAsTemplate: { response: templateWireSchema, request: saveAsTemplateRequestWireSchema },
};

/** Every route of the table with its name, in table order. */
export const ROUTE_LIST: readonly (RouteSpec & { name: RouteName })[] = (Object.keys(ROUTES) as RouteName[]).map((name) => ({ name, ...ROUTES[name] }));
