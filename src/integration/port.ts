/**
 * The Data Integration port: what the bot can ask of Power Platform Data Integration,
 * in domain terms. Free of botbuilder and of any wire format. Times are ISO 8601 strings.
 */
import type { DataflowEnvironment, DataflowHistory } from './dataflows';
import type { TokenHolder, ValidationIssue } from './errors';
import { insideQuotes } from '../words/sanitize';

export type { Dataflow, DataflowEnvironment, DataflowHistory, DataflowRefresh, RefreshOutcome, TableRefresh } from './dataflows';
export { refreshedByHand, refreshOutcomeOf } from './dataflows';

export { DataIntegrationError, isDataIntegrationError } from './errors';
export type { DataIntegrationErrorCode, ServiceName, ValidationIssue } from './errors';

/** The connectors a Data Integration connection set can use. */
export type ConnectorKind = 'dynamics365' | 'dataverse';

/** A Power Platform environment (its name and Dataverse URLs as in DataflowEnvironment); the Dataverse fields are absent when it has no database. */
export interface Environment extends DataflowEnvironment {
  id: string;
  location: string;
  isDefault: boolean;
  sku?: string;
  /** The organization's domain, e.g. `contososales`: the "Dynamics 365 organization" of a mapping. */
  domainName?: string;
  uniqueName?: string;
}

/** A connection in an environment, e.g. a Dynamics 365 or a Dataverse connection. */
export interface Connection {
  name: string;
  id: string;
  environmentName: string;
  displayName: string;
  /** `other` for connectors that Data Integration does not use here. */
  connector: ConnectorKind | 'other';
  apiId: string;
  createdAt?: string;
  createdBy?: string;
  /** True when the connection reports the `Connected` status. */
  connected: boolean;
}

/** One side of a connection set: a connection and the environment it is used in. */
export interface ConnectionEndpoint {
  connectionName: string;
  environmentName: string;
}

/** Maps a Dynamics 365 organization (its domain) to a Dataverse organization id. */
export interface OrganizationMapping {
  dynamicsOrganization: string;
  dataverseOrganizationId: string;
}

/** The fields that identify a record of an entity when upserting. */
export interface IntegrationKey {
  entity: string;
  fields: string[];
}

/** Input for creating a connection set. */
export interface ConnectionSetInput {
  name: string;
  dynamics: ConnectionEndpoint;
  dataverse: ConnectionEndpoint;
  organizationMappings: OrganizationMapping[];
  integrationKeys?: IntegrationKey[];
}

/** A connection set as stored by the service. */
export interface ConnectionSet extends Required<ConnectionSetInput> {
  id: string;
  displayName: string;
  owner?: string;
  createdAt?: string;
}

/** One field copied from the source entity to the destination entity. */
export interface FieldMapping {
  sourceField: string;
  destinationField: string;
}

/** How one source entity flows into one destination entity. */
export interface EntityMapping {
  sourceEntity: string;
  destinationEntity: string;
  fieldMappings: FieldMapping[];
  /** Destination fields that identify a record; empty when the service did not say. */
  integrationKey: string[];
  /** Where a project's mapping runs: its task and leg, and the source environment (by name), when the service says. */
  origin?: LegRef;
  sourceEnvironment?: string;
}

/** A project template, e.g. "Accounts (Sales to CDS)". */
export interface Template {
  name: string;
  displayName: string;
  description?: string;
  entityMappings: EntityMapping[];
}

/** A project as listed. */
export interface ProjectSummary {
  name: string;
  displayName: string;
}


/**
 * The project a person means by a name they typed: the one of that name, else of that display name, in any case (the
 * service finds a project by its name in any case too), else the same for the name inside quotes typed around it.
 * Its `name` is the one the bot keeps, so that one project is watched and asked about under one name.
 */
export function projectNamed<P extends ProjectSummary>(projects: readonly P[], typed: string): P | undefined {
  const named = (text: string) => {
    const wanted = text.trim().toLowerCase();
    return projects.find((p) => p.name.toLowerCase() === wanted) ?? projects.find((p) => p.displayName.toLowerCase() === wanted);
  };
  const inQuotes = insideQuotes(typed);
  return named(typed) ?? (inQuotes === undefined ? undefined : named(inQuotes));
}

/** Input for creating a project from a template. */
export interface ProjectInput {
  name: string;
  templateName: string;
  connectionSetName: string;
  organizationMapping: OrganizationMapping;
  /** The user accepted the privacy notice; the service refuses a project without it. */
  consent: boolean;
}

/** A project with its entity mappings and the service's validation issues. */
export interface Project extends ProjectSummary {
  id: string;
  templateName?: string;
  connectionSetName?: string;
  organizationMapping?: OrganizationMapping;
  owner?: string;
  createdAt?: string;
  state?: string;
  entityMappings: EntityMapping[];
  validationIssues: ValidationIssue[];
}

/** Where a run stands. `warning`: finished with some records rejected. */
export type ExecutionStatus = 'queued' | 'running' | 'succeeded' | 'warning' | 'failed';

/** How people know a record: its primary name and, for some tables, a number (e.g. an account number). */
export interface RecordName {
  name?: string;
  number?: string;
}

/** Which leg of which task of a project a run's figures belong to (tasks are matched by name). */
export interface LegRef {
  task: string;
  /** The leg's position within its task. */
  leg: number;
}

/** A record that a run could not move, and why. */
export interface RecordError {
  recordId: string;
  field?: string;
  message: string;
  /** The leg that rejected it, when the run history says. */
  origin?: LegRef;
  /** Looked up in the source environment for the cards, best effort; absent when unknown. */
  record?: RecordName;
}

/** One run of a project. */
export interface Execution {
  id: string;
  projectName: string;
  status: ExecutionStatus;
  upserts: number;
  errorCount: number;
  /** Per-record errors; may be fewer than `errorCount` when the service truncates them. */
  recordErrors: RecordError[];
  /** A run-level reason, e.g. a limit that stopped the run. */
  message?: string;
  submittedAt: string;
  startedAt: string;
  endedAt?: string;
}

/** The units a schedule can recur in. */
export type RecurrenceUnit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months';
/** Every unit a schedule can recur in, smallest first: the setup card and the "schedule" command offer the same. */
export const RECURRENCE_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months'] as const satisfies readonly RecurrenceUnit[];

/** The most units one interval may span: the service takes a recurrence's interval from 1 to this. */
export const RECURRENCE_EVERY_MAX = 1000;

/** Run manually, or recur every N units (1 to RECURRENCE_EVERY_MAX). */
export type Recurrence = { kind: 'manual' } | { kind: 'recurring'; every: number; unit: RecurrenceUnit };

/** A schedule that actually recurs: every N units. */
export type RecurringRecurrence = Extract<Recurrence, { kind: 'recurring' }>;

/** A project's schedule; `nextRunAt` is absent when manual or paused. */
export interface Schedule {
  projectName: string;
  recurrence: Recurrence;
  paused: boolean;
  nextRunAt?: string;
}

/** Supplies bearer tokens per audience scope, e.g. `https://IntegratorApp.com/.default`. */
export interface TokenProvider {
  /** Returns a token for the scope; `forceRefresh` skips any cache (asked once after a 401). */
  getToken(scope: string, options?: { forceRefresh?: boolean }): Promise<string>;
  /** Whose token it gives for the scope (the person's sign-in or the bot's own identity); absent where nobody's (local mode). */
  holder?(scope: string): TokenHolder | undefined;
}

/** Everything the bot does with Data Integration (and reads of dataflow refreshes). Every method rejects with DataIntegrationError. */
export interface DataIntegration extends DataflowHistory {
  /** Environments of the tenant (BAP admin API). */
  listEnvironments(): Promise<Environment[]>;
  /** Connections of an environment, optionally only those of one connector. */
  listConnections(environmentName: string, connector?: ConnectorKind): Promise<Connection[]>;
  /** The Dataverse organization id of an environment (WhoAmI); by name or as listed. */
  getOrganizationId(environment: Environment | string): Promise<string>;
  /**
   * The primary names (and numbers) of records of a table in an environment, by id, in one request
   * for at most 25 ids; records not found and tables not known are absent from the map.
   */
  recordNames(environment: Environment | string, entity: string, recordIds: readonly string[]): Promise<Map<string, RecordName>>;
  /** All connection sets. */
  listConnectionSets(): Promise<ConnectionSet[]>;
  /** One connection set; rejects with code `not_found` when absent. */
  getConnectionSet(name: string): Promise<ConnectionSet>;
  /** Creates a connection set; invalid input rejects with code `validation` and `validationIssues`. */
  createConnectionSet(input: ConnectionSetInput): Promise<ConnectionSet>;
  /** Templates with their entity mappings. */
  listTemplates(): Promise<Template[]>;
  /** All projects. */
  listProjects(): Promise<ProjectSummary[]>;
  /** One project; rejects with code `not_found` when absent. */
  getProject(name: string): Promise<Project>;
  /** Creates a project from a template; invalid input rejects with `validationIssues`. */
  createProject(input: ProjectInput): Promise<Project>;
  /** Starts a run now (queued behind a running one) and returns the execution id. */
  runProject(name: string): Promise<string>;
  /** The run history of a project, newest first. */
  listExecutions(projectName: string): Promise<Execution[]>;
  /** One run; rejects with code `not_found` when absent. */
  getExecution(projectName: string, executionId: string): Promise<Execution>;
  /** A project's schedule (manual when never scheduled). */
  getSchedule(projectName: string): Promise<Schedule>;
  /** Saves a project's schedule; the tenant limit (50 scheduled projects) rejects with `validationIssues`. */
  setSchedule(projectName: string, recurrence: Recurrence): Promise<Schedule>;
  /** Stops a recurring schedule from firing until resumed. */
  pauseSchedule(projectName: string): Promise<Schedule>;
  /** Lets a paused schedule fire again. */
  resumeSchedule(projectName: string): Promise<Schedule>;
  /** Saves a project as a template; refused until the project has run or been scheduled once. */
  saveProjectAsTemplate(projectName: string, templateName: string): Promise<Template>;
}
