import { parseArgs } from 'node:util';
import { UnusableInput } from './unusableInput';

/** What `npm run tenant-check -- …` was asked to do. */
export interface CliOptions {
  har?: string;
  live: boolean;
  write: boolean;
  json: boolean;
  out?: string;
  integratorHost?: string;
  credential: 'cli' | 'device' | 'default';
  baseUrl?: string;
  integratorUrl?: string;
  token?: string;
  help: boolean;
}

/** How to call the check. */
export const USAGE = `Usage:
  npm run tenant-check -- --har <file.har> [--json] [--out <dir>] [--integrator-host <host>]
  npm run tenant-check -- --live [--credential device|cli|default] [--integrator-url <url>] [--write] [--json] [--out <dir>]
Options:
  --har <file>             a HAR file saved from the browser's dev tools while using the Data Integrator portal
  --live                   sign in and call the read-only routes (nothing is written unless --write)
  --write                  with --live: create a connection set and a project tenant-check-<time>, run it once
  --credential <kind>      device (default), cli (az login) or default (DefaultAzureCredential)
  --integrator-url <url>   the Data Integrator's base URL (default: INTEGRATOR_BASE_URL)
  --base-url <url>         a sandbox (npm run sandbox): all services under it
  --token <token>          a fixed bearer token instead of signing in (the sandbox takes any, e.g. local)
  --integrator-host <host> the Data Integrator's host name, if the capture does not make it plain
  --json                   print the report as one JSON object
  --out <dir>              write integrator-routes.json (an override file) and sanitized recordings/
INTEGRATOR_ROUTES_FILE, when set, is applied to the route table before checking.`;

/** Parses the command line; a bad option is an UnusableInput (exit 2, one line). */
export function cliOptions(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        har: { type: 'string' }, live: { type: 'boolean', default: false }, write: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false }, out: { type: 'string' }, 'integrator-host': { type: 'string' },
        credential: { type: 'string', default: 'device' }, 'base-url': { type: 'string' }, 'integrator-url': { type: 'string' },
        token: { type: 'string' }, help: { type: 'boolean', default: false, short: 'h' },
      },
    }));
  } catch (err) {
    throw new UnusableInput(`${err instanceof Error ? err.message : String(err)} (see --help)`);
  }
  const credential = values.credential;
  if (credential !== 'cli' && credential !== 'device' && credential !== 'default') throw new UnusableInput(`--credential must be device, cli or default, not ${credential}`);
  if (!values.help && !values.har === !values.live) throw new UnusableInput('give either --har <file> or --live (see --help)');
  if (values.write && !values.live) throw new UnusableInput('--write goes with --live');
  return {
    har: values.har, live: values.live, write: values.write, json: values.json, out: values.out,
    integratorHost: values['integrator-host'], credential, baseUrl: values['base-url'],
    integratorUrl: values['integrator-url'], token: values.token, help: values.help,
  };
}
