import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchAzurite, SHARED_AZURITE } from './azurite';
import { buildForRun, typecheckForRun } from './build';

/**
 * Once per Jest run: builds dist/ for the suites that start the bot as a process, and starts the Azurite they
 * all share; under `npm test`, type-checks at the same time (on 2 cores that hides most of the type-check).
 */
export default async function globalSetup(): Promise<void> {
  // Every temporary folder of the run (data folders, certificates, captures, Azurite's, the bot processes') goes in
  // one folder that the teardown removes: the tests made some 2,000 of them a run in the system's temp folder and left
  // them there (31,000 here, 77 GB, until the disk was full). The workers and their child processes inherit TMPDIR.
  const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'di-test-run-'));
  // As /tmp itself: a test that runs the release as nobody (the tests run as root) hands it files in folders of its own.
  fs.chmodSync(runTmp, 0o1777);
  process.env.TMPDIR = runTmp;
  (globalThis as { runTmp?: string }).runTmp = runTmp;
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
