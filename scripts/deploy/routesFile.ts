import AdmZip from 'adm-zip';
import { readRoutesFile, RouteOverrideError, routeOverridesOf } from '../../src/integration/routeOverrides';
import { DeployError } from './azCli';

/**
 * Where `npm run deploy -- --routes <file>` puts the routes file in the release, and so the INTEGRATOR_ROUTES_FILE the
 * template sets. Relative on purpose: the bot reads it from its working directory, which on App Service is the mounted
 * package (wwwroot), where the start command `node --enable-source-maps index.js` finds index.js the same way.
 */
export const RELEASE_ROUTES_FILE = 'integrator-routes.json';

/** The template's parameter that becomes the INTEGRATOR_ROUTES_FILE app setting (empty: the built-in routes). */
export const ROUTES_PARAMETER = 'integratorRoutesFile';

/** An operator's routes file, as read when it was checked: what ships is what was checked. */
export interface CheckedRoutes { bytes: Buffer; overridden: string[] }

/** A routes file the bot would refuse at its start: exit code 2, as the bot and the tenant check exit on it. */
export class RoutesFileError extends DeployError {
  readonly exitCode = 2;
}

/** Reads and checks `file` with the loader the bot starts with; a refusal is its one line, after `--routes: `. */
export function checkedRoutesFile(file: string): CheckedRoutes {
  try {
    // Read once: the bytes checked are the bytes shipped.
    const bytes = readRoutesFile(file);
    return { bytes, overridden: routeOverridesOf(bytes, file).overridden };
  } catch (err) {
    if (err instanceof RouteOverrideError) throw new RoutesFileError(`--routes: ${err.message}`);
    throw err;
  }
}

/** The release zip with the routes file added at RELEASE_ROUTES_FILE, written to `outZip` (the release itself is left as it is). */
export function writeReleaseWithRoutes(releaseZip: string, routes: CheckedRoutes, outZip: string): void {
  const zip = new AdmZip(releaseZip);
  zip.addFile(RELEASE_ROUTES_FILE, routes.bytes);
  zip.writeZip(outZip);
}
