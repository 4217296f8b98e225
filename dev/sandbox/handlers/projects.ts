import { randomUUID } from 'node:crypto';
import { type Handler, created, ok } from '../http/router';
import { issue, nameTaken, notFound, parseRequest, validationFailed } from '../http/sandboxHttpError';
import type { ConnectionSetRecord, ProjectRecord, TemplateRecord } from '../model';
import { SANDBOX_USER } from '../seed/tenant';
import { mappingFromPartitions } from '../wire/partition';
import { type CreateProjectRequest, createProjectRequestSchema, type ProjectSummaryWire, saveAsTemplateRequestSchema } from '../wire/project';
import type { SandboxContext } from './context';
import { nameIssues } from './rules';
import { projectWire, templateWire } from './toWire';

type ProjectRoutes = 'listProjects' | 'getProject' | 'createProject' | 'listTemplates' | 'saveProjectAsTemplate';

/** The template's mappings, with the connection set's integration keys where it has one for a table. */
function bindMappings(template: TemplateRecord, set: ConnectionSetRecord): ProjectRecord['entityMappings'] {
  return template.entityMappings.map((m) => ({
    ...m,
    integrationKey: set.integrationKeys.find((k) => k.entity === m.destinationEntity)?.fields ?? m.integrationKey,
  }));
}

/** Projects, templates, and saving a project as a template. */
export function projectHandlers(ctx: SandboxContext): Record<ProjectRoutes, Handler> {
  const { projects, templates, connectionSets } = ctx;
  const projectNamed = (name: string | undefined) => {
    const project = projects.get(name ?? '');
    if (!project) throw notFound(`Project "${name}"`);
    return project;
  };

  const create = (request: CreateProjectRequest, urlName: string): ProjectRecord => {
    const template = templates.get(request.templateIdentifier);
    const set = connectionSets.get(request.connectionSetName);
    const mapping = mappingFromPartitions(request.dataPartitionMapping);
    const issues = nameIssues('name', request.name, urlName);
    if (!template) issues.push(issue('templateName', `Template "${request.templateIdentifier}" was not found`));
    if (!set) issues.push(issue('connectionSetName', `Connection set "${request.connectionSetName}" was not found`));
    const mapped = set?.organizationMappings.some(
      (m) => m.dynamicsOrganization.toLowerCase() === mapping.dynamicsOrganization.toLowerCase()
        && m.dataverseOrganizationId.toLowerCase() === mapping.dataverseOrganizationId.toLowerCase(),
    );
    if (set && !mapped) issues.push(issue('organizationMapping', `Choose an organization mapping of connection set "${set.name}"`));
    if (!request.privacyConsent) issues.push(issue('consent', 'Read the privacy notice and give your consent to create the project'));
    if (issues.length > 0 || !template || !set) throw validationFailed(issues);
    if (projects.get(request.name)) throw nameTaken('name', 'project', request.name);
    return projects.insert({
      id: randomUUID(), name: request.name, createdAt: new Date().toISOString(), owner: SANDBOX_USER.userPrincipalName,
      templateName: template.name, connectionSetName: set.name, organizationMapping: mapping,
      sourceEnvironment: set.dynamics.environmentName, destinationEnvironment: set.dataverse.environmentName,
      entityMappings: bindMappings(template, set),
    });
  };

  return {
    listProjects: () => ok(projects.list().map((p): ProjectSummaryWire => ({ projectName: p.name, projectDisplayName: p.name }))),
    getProject: ({ params }) => ok(projectWire(projectNamed(params.projectName))),
    createProject: ({ params, body }) =>
      created(projectWire(create(parseRequest(createProjectRequestSchema, body), params.projectName ?? ''))),
    listTemplates: () => ok(templates.list().map(templateWire)),
    saveProjectAsTemplate: ({ params, body }) => {
      const project = projectNamed(params.projectName);
      const { templateName } = parseRequest(saveAsTemplateRequestSchema, body);
      const issues = nameIssues('templateName', templateName);
      if (!projects.ranOrScheduled(project.name)) {
        issues.push(issue('projectName', `Run or schedule project "${project.name}" at least once before saving it as a template`));
      }
      if (issues.length > 0) throw validationFailed(issues);
      if (templates.get(templateName)) throw nameTaken('templateName', 'template', templateName);
      const template = templates.insert({
        id: randomUUID(), name: templateName, description: `Saved from project "${project.name}"`, entityMappings: project.entityMappings,
      });
      return created(templateWire(template));
    },
  };
}
