import { type ConnectorMember, type LocalConnector, startLocalConnector } from '../../dev/playground/localConnector';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../dev/sandbox';
import { type Rig, startRig } from './approvalsRig';
import { tempDataDir } from './harness';
import type { StateBackend } from './stateBackends';

/** The embedded sandbox, a local Bot Connector and the bot on one state backend: what the channel e2e tests start with. */
export interface ConnectorRig { sandbox: Sandbox; connector: LocalConnector; serviceUrl: string; rig: Rig; close(): Promise<void> }

/**
 * Starts the three on a fresh data folder. `halted`: the sandbox's dataflows refresh only when a test says so;
 * `members`: the people the connector lists in the conversation; `env`: the bot's settings beside the backend's.
 */
export async function startConnectorRig(backend: StateBackend, options: {
  sandbox: Omit<SandboxOptions, 'port' | 'dataDir'>; halted?: boolean; members?: ConnectorMember[]; env?: Record<string, string>;
}): Promise<ConnectorRig> {
  const dataDir = tempDataDir();
  const sandbox = await startSandbox({ port: 0, dataDir, ...options.sandbox });
  if (options.halted) sandbox.dataflows.halt();
  const { connector, serviceUrl, close: closeConnector } = await startLocalConnector();
  if (options.members) connector.addMembers(...options.members);
  const rig = await startRig({ dataDir, sandbox, minuteMs: 60_000, env: { ...options.env, ...(await backend.env()) } });
  return {
    sandbox, connector, serviceUrl, rig,
    async close() {
      await rig.close();
      await closeConnector();
      await sandbox.close();
    },
  };
}
