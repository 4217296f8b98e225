import { DataIntegration, DataIntegrationError, isDataIntegrationError } from '../integration/port';
import { NewConnectionSet, SetupDraft } from './draft';

/** Which form a failure belongs to, so the card that shows it is the one where it can be fixed. */
export type FailedForm = 'connectionSet' | 'project' | 'review';

/** The outcome of "Create": the updated draft, and the error if a service refused or failed. */
export interface CreateResult {
  draft: SetupDraft;
  error?: { form: FailedForm; error: DataIntegrationError };
}

function formOf(error: DataIntegrationError, stage: 'connectionSet' | 'project'): FailedForm {
  return error.code === 'validation' || error.code === 'conflict' ? stage : 'review';
}

/**
 * Creates the connection set (when new) and the project. Safe to call again after a half-way
 * failure: what `draft.created` records as done is not created twice, and a connection set
 * that the service already holds under the chosen name (a lost answer) is reused.
 */
export async function createFromDraft(di: DataIntegration, draft: SetupDraft): Promise<CreateResult> {
  let current = draft;
  const set = draft.connectionSet;
  const project = draft.project;
  if (!set || !project) throw new Error('createFromDraft needs a connection set and a project');

  if (set.mode === 'new' && !current.created.connectionSetName) {
    try {
      const created = await di.createConnectionSet({
        name: set.spec.name,
        dynamics: set.spec.dynamics,
        dataverse: set.spec.dataverse,
        organizationMappings: [{ dynamicsOrganization: set.spec.dynamicsOrganization, dataverseOrganizationId: set.spec.dataverseOrganizationId }],
      });
      current = { ...current, created: { ...current.created, connectionSetName: created.name } };
    } catch (err) {
      const reused = await existingSameSet(di, set.spec, err);
      if (!reused) return fail(current, err, 'connectionSet');
      current = { ...current, created: { ...current.created, connectionSetName: reused } };
    }
  }
  if (!current.created.projectName) {
    const connectionSetName = set.mode === 'new' ? current.created.connectionSetName! : set.name;
    try {
      const created = await di.createProject({
        name: project.name,
        templateName: project.templateName,
        connectionSetName,
        organizationMapping: { dynamicsOrganization: project.dynamicsOrganization, dataverseOrganizationId: project.dataverseOrganizationId },
        consent: true,
      });
      current = { ...current, created: { ...current.created, projectName: created.name } };
    } catch (err) {
      return fail(current, err, 'project');
    }
  }
  return { draft: current };
}

/** After a conflict on create, the set may be ours from an earlier try whose answer was lost. */
async function existingSameSet(di: DataIntegration, spec: NewConnectionSet, err: unknown): Promise<string | undefined> {
  if (!isDataIntegrationError(err, 'conflict')) return undefined;
  const existing = await di.getConnectionSet(spec.name).catch(() => undefined);
  const same = existing
    && existing.dynamics.connectionName === spec.dynamics.connectionName
    && existing.dataverse.connectionName === spec.dataverse.connectionName;
  return same ? existing.name : undefined;
}

function fail(draft: SetupDraft, err: unknown, stage: 'connectionSet' | 'project'): CreateResult {
  if (!(err instanceof DataIntegrationError)) throw err;
  return { draft, error: { form: formOf(err, stage), error: err } };
}
