import { type Handler, ok } from '../http/router';
import { notFound } from '../http/sandboxHttpError';
import type { SandboxContext } from './context';
import { executionWire } from './toWire';

const DAY_MS = 86_400_000;

/** Run a project now; read a project's run history. */
export function runHandlers(ctx: SandboxContext): Record<'runProject' | 'listExecutions', Handler> {
  const { projects, executions, queue, limits } = ctx;
  return {
    runProject: ({ params }) => {
      const project = projects.get(params.projectName ?? '');
      if (!project) throw notFound(`Project "${params.projectName}"`);
      return { status: 202, body: executionWire(queue.submit(project, 'manual'), []) };
    },
    listExecutions: ({ params }) => {
      const project = projects.byId(params.projectId ?? '');
      if (!project) throw notFound(`Project with id "${params.projectId}"`);
      executions.purgeEndedBefore(new Date(Date.now() - limits.historyDays * DAY_MS).toISOString());
      return ok({
        projectName: project.name,
        projectExecutionResponses: executions
          .list(project.name)
          .map((e) => executionWire(e, executions.recordErrors(e.id, limits.recordErrorsPerRun))),
      });
    },
  };
}
