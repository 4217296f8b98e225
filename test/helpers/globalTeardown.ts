import fs from 'node:fs';

/** Stops the Azurite that the global setup started, and removes the run's temporary folder. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { stopSharedAzurite?: () => Promise<void> }).stopSharedAzurite?.();
  const runTmp = (globalThis as { runTmp?: string }).runTmp;
  if (runTmp) fs.rmSync(runTmp, { recursive: true, force: true });
}
