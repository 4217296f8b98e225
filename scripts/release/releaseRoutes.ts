import fs from 'node:fs';
import path from 'node:path';
import { readRoutesFile, RELEASE_ROUTES_FILE, RouteOverrideError, routeOverridesOf } from '../../src/integration/routeOverrides';

/**
 * Where the project keeps the tenant check's routes file, relative to its folder: where `npm run tenant-check --
 * --out ./tenant-check` writes it. build:release ships it (both ways of deploying run build:release), so what a
 * deployment runs with is what the project holds, whichever way it was deployed.
 */
export const PROJECT_ROUTES_FILE = 'tenant-check/integrator-routes.json';

/** The routes a release ships: the file as it was named, its bytes as checked, and the routes it corrects. */
export interface ShippedRoutes { file: string; bytes: Buffer; overridden: string[] }

/** A routes file the bot would refuse at its start: exit code 2, as the bot and the tenant check exit on it. */
export class RoutesFileError extends Error {
  readonly exitCode = 2;
}

/**
 * The project's routes file, checked with the loader the bot starts with, or undefined when there is none (the
 * built-in routes). Read once: the bytes checked are the bytes shipped. A refusal is the loader's one line.
 */
export function projectRoutes(root: string, file = path.join(root, PROJECT_ROUTES_FILE)): ShippedRoutes | undefined {
  if (!fs.existsSync(file)) return undefined;
  const relative = path.relative(root, file);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
  try {
    const bytes = readRoutesFile(file);
    return { file: shown, bytes, overridden: routeOverridesOf(bytes, file).overridden };
  } catch (err) {
    if (err instanceof RouteOverrideError) throw new RoutesFileError(`${shown} would stop the bot at start: ${err.message}`);
    throw err;
  }
}

/** What build:release and the deploy say of the routes a release ships. */
export function routesLine(routes: Pick<ShippedRoutes, 'file' | 'overridden'> | undefined): string {
  return routes
    ? `Routes file ${routes.file}: corrects ${routes.overridden.join(', ') || 'no route'}; shipped in the release as ${RELEASE_ROUTES_FILE}, beside index.js`
    : `No routes file (${PROJECT_ROUTES_FILE}): the release ships the bot's built-in Data Integrator routes`;
}
