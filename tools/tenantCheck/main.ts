import { isLoopbackUrl } from '../../src/loopback';
import { loadRouteOverrides, RouteOverrideError, type RouteTable } from '../../src/integration/routeOverrides';
import { analyse } from './analyse';
import { type CliOptions, cliOptions, USAGE } from './cliOptions';
import type { Exchange } from './exchange';
import { readHar } from './har';
import { liveCheck } from './liveCheck';
import type { StepResult } from './liveSteps';
import { screened } from './nesting';
import { checkOutDir, overrideFileOf, recordingsOf, writeOut } from './recordings';
import { buildReport, exitCodeOf, reportTable, shownBy } from './report';
import { Sanitizer } from './sanitizer';
import type { ServiceHints } from './serviceOf';
import { escapeControls } from './terminalText';
import { UnusableInput } from './unusableInput';

/** What the check read: the calls, how to tell the services apart, and the steps of a live check. */
interface Input { exchanges: Exchange[]; skipped: string[]; hints: ServiceHints; steps?: StepResult[]; source: string }

async function inputOf(options: CliOptions, routes: RouteTable): Promise<Input> {
  if (options.har) return { ...readHar(options.har), hints: { integratorHost: options.integratorHost }, source: options.har };
  const sandbox = options.baseUrl?.replace(/\/+$/, '');
  const baseUrls = {
    bap: sandbox ? `${sandbox}/bap/` : 'https://api.bap.microsoft.com/',
    powerapps: sandbox ? `${sandbox}/powerapps/` : 'https://api.powerapps.com/',
    integrator: options.integratorUrl ?? (sandbox ? `${sandbox}/integrator/` : process.env.INTEGRATOR_BASE_URL ?? ''),
  };
  if (!baseUrls.integrator) throw new UnusableInput('--live needs the Data Integrator base URL: --integrator-url <url> or INTEGRATOR_BASE_URL');
  if (!options.token) refuseUnencrypted({ '--base-url': options.baseUrl, '--integrator-url': baseUrls.integrator });
  const live = await liveCheck({ baseUrls, routes, token: options.token, credential: options.credential, write: options.write, prompt: (m) => process.stderr.write(`${escapeControls(m, '\n')}\n`) });
  return { ...live, ...screened(live.exchanges, (i) => `call ${i + 1}`), hints: { baseUrls }, source: 'the live check' };
}

/** With a sign-in, the admin's token goes to each base URL: never in plain text off this machine (a sandbox on it may speak http). */
function refuseUnencrypted(urls: Record<string, string | undefined>): void {
  for (const [option, url] of Object.entries(urls)) {
    if (!url || !URL.canParse(url) || isLoopbackUrl(url)) continue;
    const { protocol, host } = new URL(url);
    if (protocol !== 'https:') throw new UnusableInput(`${option}: must be an https:// URL when the check signs in (your token is sent there), not ${protocol}//${host}`);
  }
}

/** Runs the check and returns the exit code: 0 all matched, 1 something to fix, 2 unusable input. */
export async function tenantCheck(argv: string[], printRaw: (text: string) => void): Promise<0 | 1 | 2> {
  // Our own layout keeps its newlines; any other control character that slipped through is shown, not obeyed.
  const print = (text: string) => printRaw(escapeControls(text, '\n'));
  const options = cliOptions(argv);
  if (options.help) return print(USAGE), 0;
  if (options.out) checkOutDir(options.out);
  let routes: RouteTable;
  try {
    routes = loadRouteOverrides(process.env.INTEGRATOR_ROUTES_FILE).routes;
  } catch (err) {
    if (err instanceof RouteOverrideError) throw new UnusableInput(`INTEGRATOR_ROUTES_FILE: ${err.message}`);
    throw err;
  }
  const input = await inputOf(options, routes);
  const analysis = analyse(input.exchanges, routes, input.hints);
  if (analysis.calls.length === 0) {
    throw new UnusableInput(`${input.source} has no call to the Data Integrator, BAP, Power Apps or Dataverse: record while clicking through the portal`);
  }
  const sanitizer = new Sanitizer();
  const recordings = recordingsOf(analysis, sanitizer);
  const shown = shownBy(sanitizer);
  const steps = input.steps?.map((s) => ({ ...s, step: shown(s.step), detail: shown(s.detail) }));
  const report = buildReport(analysis, routes, sanitizer, input.skipped);
  if (options.out) writeOut(options.out, overrideFileOf(analysis), recordings);
  const failedSteps = steps?.filter((s) => !s.ok) ?? [];
  const code = exitCodeOf(report) === 1 || failedSteps.length > 0 ? 1 : 0;
  if (options.json) {
    print(JSON.stringify({ ...report, ...(steps ? { steps } : {}) }, null, 2));
    return code;
  }
  if (steps) print(['Live check:', ...steps.map((s) => `  ${s.ok ? 'ok  ' : 'FAIL'}  ${s.step}: ${s.detail}`), ''].join('\n'));
  print(reportTable(report));
  const counts = (status: string) => report.routes.filter((r) => r.status === status).length;
  print(`\n${code === 0 ? 'OK' : 'NEEDS ATTENTION'}: ${counts('matched')} routes matched, ${counts('mismatch')} mismatched, ${report.candidates.length} candidates${failedSteps.length ? `, ${failedSteps.length} live steps failed` : ''}${options.out ? `; wrote ${options.out}` : ''}.`);
  return code;
}

if (require.main === module) {
  tenantCheck(process.argv.slice(2), (text) => process.stdout.write(`${text}\n`)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      // One clear line, never a stack trace: the admin acts on the message.
      process.stderr.write(`tenant-check: ${escapeControls(new Sanitizer().text(err instanceof Error ? err.message : String(err)))}\n`);
      process.exitCode = 2;
    },
  );
}
