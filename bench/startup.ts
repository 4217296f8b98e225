import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { NATIVE_ADDON, START_COMMAND } from '../scripts/release/buildRelease';
import { ensureRelease } from '../scripts/release/releaseCache';
import { startAppServiceIdentity } from '../test/helpers/appServiceIdentity';
import { freePort, freshPrefix, launchAzurite } from '../test/helpers/azurite';
import { selfSigned } from '../test/helpers/selfSigned';
import { startTelemetryReceiver } from '../test/helpers/telemetryReceiver';
import { buildCurrent } from './startup/currentBuild';
import { measureStart, StartFigures } from './startup/measureStart';
import { median } from './telemetryOverhead';

/**
 * `npm run bench:start` (issue 30): the build App Service used to run (tsc output + node_modules) and the bundled
 * release, side by side, each unzipped on this machine's disk and started in Teams mode on Azurite as the template
 * configures it: files, zip size, modules loaded at start, process start to /healthz 200, RSS once idle, with
 * telemetry off and with Application Insights on (a loopback receiver). Rounds alternate which build starts first.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/**
 * The current build is compiled from the working tree's sources (so the comparison is of the packaging alone), or,
 * with BENCH_BASELINE=<commit>, from that commit's (e.g. 5c1abbe, the last before the bundle and its lazy loading).
 */
const BASELINE = process.env.BENCH_BASELINE;
/**
 * How the state store is reached: Azurite's connection string (the default), or BENCH_STORAGE=identity as deployed:
 * the account's endpoints over HTTPS with the managed identity's bearer token (Azurite checking it, and a stand-in of
 * App Service's identity endpoint), so that the start also loads @azure/identity and asks for a token.
 */
const STORAGE = process.env.BENCH_STORAGE === 'identity' ? 'identity' : 'connection string';
const GOALS = { zipMb: 8, files: 50, healthyMs: 1_000, healthyRatio: 0.3 };
const ROOT = path.resolve(__dirname, '..', '..');
const APP_ID = '11111111-2222-3333-4444-555555555555';

type Build = 'current' | 'release';
type Telemetry = 'off' | 'on';

const f = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pad = (s: string, n: number) => s.padEnd(n);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'di-bench-start-'));
  console.log('Building both (the current build compiles src/ and copies the production packages: a minute or two)…');
  const release = await ensureRelease(ROOT);
  const current = buildCurrent(ROOT, path.join(scratch, 'current'), BASELINE);
  const site = path.join(scratch, 'release');
  new AdmZip(release.zipPath).extractAllTo(site, true);
  const builds: Record<Build, { cwd: string; args: string[] }> = {
    current: { cwd: current.folder, args: current.startArgs },
    release: { cwd: site, args: START_COMMAND.split(' ').slice(1) },
  };

  const tls = STORAGE === 'identity' ? selfSigned() : undefined;
  const [azurite, receiver, identity] = await Promise.all([
    launchAzurite(tls ? { tls, oauth: true } : {}), startTelemetryReceiver({ tls: true }), tls ? startAppServiceIdentity() : undefined,
  ]);
  // One file of trusted certificates: the receiver's, and Azurite's when it speaks HTTPS.
  const trusted = path.join(scratch, 'trusted.pem');
  fs.writeFileSync(trusted, [receiver.caFile!, tls?.caFile].filter((f): f is string => Boolean(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n'));
  const storage: Record<string, string> = identity
    ? { AZURE_STORAGE_ACCOUNT_URL: azurite.blobUrl, AZURE_STORAGE_TABLE_URL: azurite.tableUrl, ...identity.env, NODE_EXTRA_CA_CERTS: trusted }
    : { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
  const env = (telemetry: Telemetry): Record<string, string> => ({
    MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555', AZURE_CLIENT_ID: APP_ID,
    INTEGRATOR_BASE_URL: 'https://integrator.invalid/', STATE_STORE: 'azure', ...storage,
    AZURE_STATE_PREFIX: freshPrefix(), BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/v1/.well-known/openidconfiguration', LOG_LEVEL: 'info',
    ...(telemetry === 'on' ? {
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${receiver.url}/;LiveEndpoint=${receiver.url}/`,
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true', NODE_EXTRA_CA_CERTS: trusted,
    } : {}),
  });
  const start = async (build: Build, telemetry: Telemetry, countModules = false) =>
    measureStart(builds[build].cwd, builds[build].args, env(telemetry), await freePort(), countModules);

  try {
    const modules: Record<string, number> = {};
    for (const build of ['current', 'release'] as const) for (const t of ['off', 'on'] as const) modules[`${build}/${t}`] = (await start(build, t, true)).modules!;
    const samples: Record<string, StartFigures[]> = {};
    const loads = [os.loadavg()[0]];
    for (let round = 0; round < ROUNDS; round++) {
      const order: Build[] = round % 2 === 0 ? ['current', 'release'] : ['release', 'current'];
      for (const t of ['off', 'on'] as const) {
        for (const build of order) (samples[`${build}/${t}`] ??= []).push(await start(build, t));
      }
      loads.push(os.loadavg()[0]);
      process.stdout.write(`round ${round + 1}/${ROUNDS} done\r`);
    }
    const med = (key: string, figure: keyof StartFigures) => median(samples[key].map((s) => s[figure] as number));

    const releaseFiles = release.files - 1; // the native addon
    const rows: Array<[string, string, string, string, string]> = [
      ['files in the release', f(current.files), `${f(releaseFiles)} + ${path.basename(NATIVE_ADDON)}`, `≤ ${GOALS.files} besides the addon`, verdict(releaseFiles <= GOALS.files)],
      ['zip size', `${f(current.bytes / 2 ** 20, 1)} MB`, `${f(release.bytes / 2 ** 20, 1)} MB`, `≤ ${GOALS.zipMb} MB`, verdict(release.bytes <= GOALS.zipMb * 2 ** 20)],
    ];
    for (const t of ['off', 'on'] as const) {
      const [cur, rel] = [`current/${t}`, `release/${t}`];
      const [curMs, relMs] = [med(cur, 'healthyMs'), med(rel, 'healthyMs')];
      const [curRss, relRss] = [med(cur, 'idleRssMb'), med(rel, 'idleRssMb')];
      rows.push(
        [`telemetry ${t}: modules loaded at start`, f(modules[cur]), f(modules[rel]), '(fewer files to open)', ''],
        [`telemetry ${t}: start → /healthz 200`, `${f(curMs)} ms`, `${f(relMs)} ms (${f((100 * relMs) / curMs)} %)`,
          `≤ ${f(GOALS.healthyMs)} ms and ≤ ${GOALS.healthyRatio * 100} % (${f(curMs * GOALS.healthyRatio)} ms)`,
          `${verdict(relMs <= GOALS.healthyMs)} / ${verdict(relMs <= curMs * GOALS.healthyRatio)}`],
        // CPU time grows less with the machine's load than wall time does: the ratio a loaded machine still shows.
        [`telemetry ${t}: CPU until healthy`, `${f(med(cur, 'cpuMs'))} ms`, `${f(med(rel, 'cpuMs'))} ms (${f((100 * med(rel, 'cpuMs')) / med(cur, 'cpuMs'))} %)`, '(no goal)', ''],
        [`telemetry ${t}: idle RSS`, `${f(curRss)} MB`, `${f(relRss)} MB`, `≤ ${f(curRss)} MB (current build's)`, verdict(relRss <= curRss)],
      );
    }
    console.log(`\ncurrent build: tsc output + node_modules of ${BASELINE ? `commit ${BASELINE}` : 'the working tree'}`);
    console.log(`\n${pad('', 40)}${pad('current build', 16)}${pad('bundled release', 28)}${pad('goal', 42)}`);
    for (const [label, cur, rel, goal, met] of rows) console.log(`${pad(label, 40)}${pad(cur, 16)}${pad(rel, 28)}${pad(goal, 42)}${met}`);
    console.log(`\n(medians of ${ROUNDS} alternating rounds per build and telemetry setting; both unzipped in ${os.tmpdir()}; Teams mode on Azurite, reached by ${STORAGE};`
      + ` telemetry on = Application Insights to a loopback receiver; RSS read 3 s after /healthz; modules = files in Node's require cache)`);
    // Start times are wall-clock: on a shared machine they grow with its load, the CPU figures much less.
    console.log(`(1-min load average ${loads.map((l) => f(l, 1)).join(', ')} before the rounds and after each; ${os.cpus().length} CPUs)`);
  } finally {
    await Promise.all([azurite.stop(), receiver.close(), identity?.close()]);
    if (tls) fs.rmSync(path.dirname(tls.caFile), { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
