import { launchAzurite, SHARED_AZURITE } from './azurite';
import { buildForRun, typecheckForRun } from './build';

/**
 * Once per Jest run: builds dist/ for the suites that start the bot as a process, and starts the Azurite they
 * all share; under `npm test`, type-checks at the same time (on 2 cores that hides most of the type-check).
 */
export default async function globalSetup(): Promise<void> {
  const checked = process.env.npm_lifecycle_event === 'test' ? typecheckForRun() : Promise.resolve();
  const [built, azurite, typed] = await Promise.allSettled([buildForRun(), launchAzurite(), checked]);
  if (azurite.status === 'rejected') throw azurite.reason;
  const { stop, ...where } = azurite.value;
  const failed = [typed, built].find((r) => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  process.env[SHARED_AZURITE] = JSON.stringify(where);
  (globalThis as { stopSharedAzurite?: () => Promise<void> }).stopSharedAzurite = stop;
}
