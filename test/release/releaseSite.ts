import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { START_COMMAND } from '../../scripts/release/buildRelease';
import { Azurite, freshPrefix } from '../helpers/azurite';
import { endOf } from '../helpers/processes';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';

/** The app settings the template gives the Web App, with Azurite's connection string instead of the managed identity. */
/** Teams mode on Azurite, on a port the kernel picks (the bot logs it: `listeningPort`). */
export const teamsEnv = (azurite: Azurite): Record<string, string> => ({
  PORT: '0', MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT,
  AZURE_CLIENT_ID: APP_ID, INTEGRATOR_BASE_URL: 'https://integrator.invalid/', STATE_STORE: 'azure',
  AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STATE_PREFIX: freshPrefix(),
  // Nothing in these tests may reach login.botframework.com: an unsigned request is refused before any key is needed.
  BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/v1/.well-known/openidconfiguration', LOG_LEVEL: 'info',
});

/** Memory-backed when the machine has it. */
const SCRATCH = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

/** The release unzipped into an empty folder, as App Service's wwwroot. */
export function unzipped(zipPath: string): string {
  const site = fs.mkdtempSync(path.join(SCRATCH, 'di-site-'));
  new AdmZip(zipPath).extractAllTo(site, true);
  return site;
}

/**
 * Makes `site` read-only, as App Service mounts a package run with WEBSITE_RUN_FROM_PACKAGE=1. Permissions stop
 * nobody running as root, so a root test runs the bot as `nobody` (see startRelease's `asNobody`).
 */
export function makeReadOnly(site: string): void {
  for (const entry of fs.readdirSync(site, { recursive: true, encoding: 'utf8' }).map((e) => path.join(site, e)).concat(site)) {
    fs.chmodSync(entry, fs.statSync(entry).isDirectory() ? 0o555 : 0o444);
  }
}

/** Every file and folder below `site` with its size and modification time: what a write would change. */
export function listing(site: string): string[] {
  return fs.readdirSync(site, { recursive: true, encoding: 'utf8' }).sort().map((e) => {
    const stat = fs.statSync(path.join(site, e));
    return `${e} ${stat.size} ${stat.mtimeMs}`;
  });
}

/** A release process started with the start command, and its output so far. */
export interface ReleaseProcess { child: ChildProcess; stdout(): string; stderr(): string; exited: Promise<number | null> }

/** Runs START_COMMAND in `site` with only PATH and `env` (and `nodeFlags` before the entry). */
export function startRelease(site: string, env: Record<string, string>, options: { asNobody?: boolean; nodeFlags?: string[] } = {}): ReleaseProcess {
  const [cmd, ...args] = START_COMMAND.split(' ');
  expect(cmd).toBe('node');
  const entry = args.pop()!;
  const nobody = options.asNobody && process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = spawn(process.execPath, [...args, ...(options.nodeFlags ?? []), entry], { cwd: site, env: { PATH: process.env.PATH, ...env }, ...nobody });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = endOf(child);
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Removes a site, read-only or not. */
export function removeSite(site: string): void {
  if (!fs.existsSync(site)) return;
  fs.chmodSync(site, 0o755);
  for (const entry of fs.readdirSync(site, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(site, entry);
    if (fs.statSync(full).isDirectory()) fs.chmodSync(full, 0o755);
  }
  fs.rmSync(site, { recursive: true, force: true });
}
