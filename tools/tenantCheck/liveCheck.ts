import { AzureCliCredential, DefaultAzureCredential, DeviceCodeCredential, type TokenCredential } from '@azure/identity';
import { createDataIntegration, type DataIntegrationBaseUrls } from '../../src/integration';
import type { RouteTable } from '../../src/integration/routeOverrides';
import { credentialTokenProvider, staticTokenProvider } from '../../src/integration/tokens';
import type { Exchange } from './exchange';
import { readOnlySteps, type StepResult, writeSteps } from './liveSteps';
import { recordingFetch } from './recordingFetch';

/** How a live check signs in and where it calls. */
export interface LiveOptions {
  baseUrls: DataIntegrationBaseUrls;
  routes: RouteTable;
  /** A fixed token (the sandbox takes any, e.g. `local`); otherwise the credential signs the admin in. */
  token?: string;
  credential: 'cli' | 'device' | 'default';
  write: boolean;
  /** Where the device code prompt goes (stderr, so that --json stays clean). */
  prompt: (message: string) => void;
}

function credentialOf(kind: LiveOptions['credential'], prompt: LiveOptions['prompt']): TokenCredential {
  if (kind === 'cli') return new AzureCliCredential();
  if (kind === 'default') return new DefaultAzureCredential();
  return new DeviceCodeCredential({ userPromptCallback: (info) => prompt(info.message) });
}

/** Signs in, calls the read-only routes (and with `write` creates and runs a project), recording every call. */
export async function liveCheck(options: LiveOptions): Promise<{ exchanges: Exchange[]; steps: StepResult[] }> {
  const tokens = options.token ? staticTokenProvider(options.token) : credentialTokenProvider(credentialOf(options.credential, options.prompt), undefined, 300_000);
  const di = createDataIntegration({ baseUrls: options.baseUrls, routes: options.routes, tokens, timeoutMs: 30_000, maxRetries: 1 });
  const exchanges: Exchange[] = [];
  const steps: StepResult[] = [];
  await recordingFetch(exchanges, async () => {
    const environments = await readOnlySteps(di, steps);
    if (options.write) await writeSteps(di, environments, steps);
  });
  return { exchanges, steps };
}
