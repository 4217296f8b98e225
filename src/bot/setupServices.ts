import { SetupServices } from '../dialogs/setupServices';
import { DataIntegrationSource } from './dataIntegrationSource';
import { RunReporter } from './runReporter';

/** What the setup flow's last step hands over to: approvals and the run watcher. */
export type SetupHandOver = Pick<SetupServices, 'requestSchedule' | 'projectCreated'>;

/** The edge services the setup dialog uses. */
export function setupServices(source: DataIntegrationSource, runs: RunReporter, handOver: SetupHandOver): SetupServices {
  return {
    dataIntegration: source,
    startRun: async (context, projectName) => runs.start(context, await source(context), projectName),
    requestSchedule: handOver.requestSchedule,
    projectCreated: handOver.projectCreated,
  };
}
