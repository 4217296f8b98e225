import { z } from 'zod';
import { DataIntegrationError } from '../errors';
import type { HttpClient } from '../http/httpClient';
import type {
  ConnectionSet, ConnectionSetInput, Execution, Project, ProjectInput, ProjectSummary, Recurrence, Schedule, Template,
} from '../port';
import type { RouteTable } from '../routeOverrides';
import { type RouteName, ROUTES, SCOPES } from '../routes';
import { connectionSetWireSchema, toConnectionSet, toConnectionSetRequest } from '../wire/connectionSet';
import { executionHistoryWireSchema, executionWireSchema, toExecution } from '../wire/execution';
import { projectSummaryWireSchema, projectWireSchema, toCreateProjectRequest, toProject, toProjectSummary } from '../wire/project';
import { scheduleWireSchema, toRecurrenceWire, toSchedule } from '../wire/schedule';
import { templateWireSchema, toTemplate } from '../wire/template';
import { ProjectIdCache } from './projectIdCache';

/** The Data Integrator (project management service): connection sets, templates, projects, runs, schedules. */
export class IntegratorClient {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    /** The route table with an admin's corrections (INTEGRATOR_ROUTES_FILE). */
    private readonly routes: RouteTable = ROUTES,
    /** Where project ids are remembered; pass one that outlives this client to share it. */
    private readonly projectIds = new ProjectIdCache(),
  ) {}

  async listConnectionSets(): Promise<ConnectionSet[]> {
    return (await this.call('listConnectionSets', z.array(connectionSetWireSchema))).map(toConnectionSet);
  }

  async getConnectionSet(connectionSetName: string): Promise<ConnectionSet> {
    return toConnectionSet(await this.call('getConnectionSet', connectionSetWireSchema, { connectionSetName }));
  }

  async createConnectionSet(input: ConnectionSetInput): Promise<ConnectionSet> {
    const body = toConnectionSetRequest(input);
    const params = { connectionSetName: input.name };
    return toConnectionSet(await this.call('createConnectionSet', connectionSetWireSchema, params, body));
  }

  async listTemplates(): Promise<Template[]> {
    return (await this.call('listTemplates', z.array(templateWireSchema))).map(toTemplate);
  }

  async listProjects(): Promise<ProjectSummary[]> {
    return (await this.call('listProjects', z.array(projectSummaryWireSchema))).map(toProjectSummary);
  }

  async getProject(projectName: string): Promise<Project> {
    return toProject(await this.call('getProject', projectWireSchema, { projectName }));
  }

  private async projectId(projectName: string): Promise<string> {
    const { id } = await this.getProject(projectName);
    this.projectIds.set(this.baseUrl, projectName, id);
    return id;
  }

  async createProject(input: ProjectInput): Promise<Project> {
    const body = toCreateProjectRequest(input);
    return toProject(await this.call('createProject', projectWireSchema, { projectName: input.name }, body));
  }

  async runProject(projectName: string): Promise<string> {
    return (await this.call('runProject', executionWireSchema, { projectName }, {})).id;
  }

  /**
   * History is addressed by project id (guessed, unverified). A project's id does not change, so it is read once
   * and remembered: a poll costs one request. A project deleted and created again under the same
   * name gets a new id; the old one answers 404, and the id is read again.
   */
  async listExecutions(projectName: string): Promise<Execution[]> {
    const known = this.projectIds.get(this.baseUrl, projectName);
    const read = async (projectId: string) => this.call('listExecutions', executionHistoryWireSchema, { projectId });
    let history;
    try {
      history = await read(known ?? (await this.projectId(projectName)));
    } catch (err) {
      if (!known || !(err instanceof DataIntegrationError) || err.code !== 'not_found') throw err;
      history = await read(await this.projectId(projectName));
    }
    return history.projectExecutionResponses
      .map(toExecution)
      .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
  }

  /** No single-run route is known, so this picks the run out of the history. */
  async getExecution(projectName: string, executionId: string): Promise<Execution> {
    const execution = (await this.listExecutions(projectName)).find((e) => e.id === executionId);
    if (execution) return execution;
    throw new DataIntegrationError(`Run ${executionId} of project "${projectName}" was not found`, {
      service: 'integrator', code: 'not_found', status: 404,
    });
  }

  async getSchedule(projectName: string): Promise<Schedule> {
    return toSchedule(await this.call('getSchedule', scheduleWireSchema, { projectName }));
  }

  async setSchedule(projectName: string, recurrence: Recurrence): Promise<Schedule> {
    const body = { recurrence: toRecurrenceWire(recurrence) };
    return toSchedule(await this.call('setSchedule', scheduleWireSchema, { projectName }, body));
  }

  async pauseSchedule(projectName: string): Promise<Schedule> {
    return toSchedule(await this.call('pauseSchedule', scheduleWireSchema, { projectName }, {}));
  }

  async resumeSchedule(projectName: string): Promise<Schedule> {
    return toSchedule(await this.call('resumeSchedule', scheduleWireSchema, { projectName }, {}));
  }

  async saveProjectAsTemplate(projectName: string, templateName: string): Promise<Template> {
    return toTemplate(await this.call('saveProjectAsTemplate', templateWireSchema, { projectName }, { templateName }));
  }

  private call<T>(name: RouteName, schema: z.ZodType<T>, params?: Record<string, string>, body?: unknown): Promise<T> {
    return this.http.send({ name, route: this.routes[name], baseUrl: this.baseUrl, scope: SCOPES.integrator, schema, params, body });
  }
}
