import { DataIntegrationError } from '../../src/integration';
import { accountsConnectionSet, CDS, createAccountsProject, SALES } from './setupFixtures';
import { type Harness, startHarness, waitForRun } from './harness';

const rejection = async (promise: Promise<unknown>): Promise<DataIntegrationError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof DataIntegrationError)) throw new Error(`expected a DataIntegrationError, got ${String(error)}`);
  return error;
};

describe('Data Integrator calls against the sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('creates, lists and gets a connection set', async () => {
    const input = await accountsConnectionSet(h.client);
    const created = await h.client.createConnectionSet({ ...input, integrationKeys: [{ entity: 'account', fields: ['accountnumber'] }] });
    expect(created).toMatchObject({ name: input.name, dynamics: input.dynamics, dataverse: input.dataverse, organizationMappings: input.organizationMappings });
    expect(created.integrationKeys).toEqual([{ entity: 'account', fields: ['accountnumber'] }]);
    expect((await h.client.listConnectionSets()).map((s) => s.name)).toEqual([input.name]);
    expect(await h.client.getConnectionSet(input.name)).toEqual(created);
    expect((await rejection(h.client.getConnectionSet('nope'))).code).toBe('not_found');
  });

  it('refuses a connection set with the same environment twice, a wrong organization, or a taken name', async () => {
    const input = await accountsConnectionSet(h.client);
    const sameEnvironment = await rejection(
      h.client.createConnectionSet({
        ...input,
        dataverse: { ...input.dataverse, environmentName: SALES.name },
        organizationMappings: [{ dynamicsOrganization: 'contososales', dataverseOrganizationId: CDS.dataverse.organizationId }],
      }),
    );
    expect(sameEnvironment).toMatchObject({ code: 'validation', status: 400, service: 'integrator' });
    expect(sameEnvironment.validationIssues).toContainEqual(expect.objectContaining({ field: 'dataverse.environmentName', severity: 'error' }));
    expect(sameEnvironment.validationIssues.map((i) => i.field)).toContain('dataverse.connectionName');
    expect(sameEnvironment.validationIssues.map((i) => i.field)).toContain('organizationMappings.0.dataverseOrganizationId');

    const badName = await rejection(h.client.createConnectionSet({ ...input, name: ' ' }));
    expect(badName.validationIssues.map((i) => i.field)).toEqual(['name']);

    await h.client.createConnectionSet(input);
    const duplicate = await rejection(h.client.createConnectionSet(input));
    expect(duplicate).toMatchObject({ code: 'conflict', status: 409 });
    expect(duplicate.validationIssues[0]?.message).toMatch(/already exists/);
  });

  it('lists the templates with their field mappings and integration keys', async () => {
    const templates = await h.client.listTemplates();
    expect(templates.map((t) => t.name)).toEqual(['Accounts (Sales to CDS)', 'Contacts (Sales to CDS)', 'Products (Sales to CDS)']);
    const [accounts] = templates[0]!.entityMappings;
    expect(accounts).toMatchObject({ sourceEntity: 'account', destinationEntity: 'account', integrationKey: ['accountnumber'] });
    expect(accounts?.fieldMappings).toContainEqual({ sourceField: 'name', destinationField: 'name' });
  });

  it('creates a project from a template and reads it back', async () => {
    const input = await createAccountsProject(h.client);
    expect(await h.client.listProjects()).toEqual([{ name: 'Sync accounts', displayName: 'Sync accounts' }]);
    const project = await h.client.getProject(input.name);
    expect(project).toMatchObject({
      name: input.name, templateName: input.templateName, connectionSetName: input.connectionSetName,
      organizationMapping: input.organizationMapping, validationIssues: [],
    });
    expect(project.entityMappings[0]?.integrationKey).toEqual(['accountnumber']);
    expect((await rejection(h.client.getProject('nope'))).code).toBe('not_found');
  });

  it('refuses a project without consent, with an unknown template, or a taken name', async () => {
    const input = await createAccountsProject(h.client);
    const invalid = await rejection(h.client.createProject({ ...input, name: 'Second', consent: false, templateName: 'Leads (Sales to CDS)' }));
    expect(invalid.validationIssues.map((i) => i.field).sort()).toEqual(['consent', 'templateName']);
    expect(invalid.message).toMatch(/privacy notice/);
    const duplicate = await rejection(h.client.createProject({ ...input, name: 'sync ACCOUNTS' }));
    expect(duplicate).toMatchObject({ code: 'conflict' });
  });

  it('runs a project and reports the run in its history', async () => {
    const { name } = await createAccountsProject(h.client);
    const id = await h.client.runProject(name);
    const run = await waitForRun(h.client, name, id);
    expect(run).toMatchObject({ id, projectName: name, status: 'warning' });
    expect(run.upserts).toBeGreaterThan(1900);
    expect(run.endedAt! >= run.startedAt).toBe(true);
    expect((await h.client.listExecutions(name)).map((e) => e.id)).toEqual([id]);
    expect((await rejection(h.client.getExecution(name, 'nope'))).code).toBe('not_found');
  });

  it('schedules, pauses and resumes a project, then saves it as a template', async () => {
    const { name } = await createAccountsProject(h.client);
    expect(await h.client.getSchedule(name)).toEqual({ projectName: name, recurrence: { kind: 'manual' }, paused: false });
    const refused = await rejection(h.client.saveProjectAsTemplate(name, 'My accounts'));
    expect(refused.validationIssues[0]?.message).toMatch(/at least once/);

    const scheduled = await h.client.setSchedule(name, { kind: 'recurring', every: 5, unit: 'minutes' });
    expect(scheduled).toMatchObject({ recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, paused: false });
    expect(Date.parse(scheduled.nextRunAt!) - Date.now()).toBeGreaterThan(4 * 60_000);
    const paused = await h.client.pauseSchedule(name);
    expect(paused.paused).toBe(true);
    expect(paused.nextRunAt).toBeUndefined();
    expect((await h.client.resumeSchedule(name)).paused).toBe(false);
    expect(await h.client.getSchedule(name)).toMatchObject({ paused: false, recurrence: { every: 5 } });

    const template = await h.client.saveProjectAsTemplate(name, 'My accounts');
    // The template keeps the project's mappings, no longer bound to the project's source environment.
    const unbound = (await h.client.getProject(name)).entityMappings.map(({ sourceEnvironment: _bound, ...mapping }) => mapping);
    expect(template.entityMappings).toEqual(unbound);
    expect((await h.client.listTemplates()).map((t) => t.name)).toContain('My accounts');
    await expect(h.client.setSchedule(name, { kind: 'manual' })).resolves.toMatchObject({ recurrence: { kind: 'manual' } });
    await expect(h.client.pauseSchedule(name)).rejects.toMatchObject({ code: 'validation' });
  });
});
