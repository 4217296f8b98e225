import { launchAzurite, SHARED_AZURITE } from './azurite';
import { buildForRun } from './build';

/** Once per Jest run: builds dist/ for the suites that start the bot as a process, and starts the Azurite they all share. */
export default async function globalSetup(): Promise<void> {
  const [built, azurite] = await Promise.allSettled([buildForRun(), launchAzurite()]);
  if (azurite.status === 'rejected') throw azurite.reason;
  const { stop, ...where } = azurite.value;
  if (built.status === 'rejected') {
    await stop();
    throw built.reason;
  }
  process.env[SHARED_AZURITE] = JSON.stringify(where);
  (globalThis as { stopSharedAzurite?: () => Promise<void> }).stopSharedAzurite = stop;
}
