import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataIntegration, type DataIntegration, type Execution, staticTokenProvider } from '../src/integration';
import { SANDBOX_ENVIRONMENTS, startSandbox } from '../dev/sandbox';
import { openDatabase } from '../dev/sandbox/db/openDatabase';
import { type RawRow, RecordStore } from '../dev/sandbox/store/recordStore';

/** One run of "Accounts (Sales to CDS)" over 100,000 accounts, against a plain SQLite copy of the same rows. */
const ACCOUNTS = 100_000;
const BATCH = 1000;
const BUDGET = { seconds: 10, rssMb: 300 };
const PROJECT = 'Bench accounts';
const { sales, cds } = SANDBOX_ENVIRONMENTS;

interface Measured<T> {
  result: T;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Wall time, CPU time (robust on a busy machine) and peak RSS (sampled every 10 ms) of some work. */
async function measure<T>(work: () => Promise<T> | T): Promise<Measured<T>> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, seconds, cpuSeconds: (used.user + used.system) / 1e6, peakRssMb: mb(peak) };
  } finally {
    clearInterval(sampler);
  }
}

/** The setup flow through the client: connections, organization id, connection set, project. */
async function setUpProject(client: DataIntegration): Promise<void> {
  const [dynamics] = await client.listConnections(sales.name, 'dynamics365');
  const [dataverse] = await client.listConnections(cds.name, 'dataverse');
  if (!dynamics || !dataverse) throw new Error('the seeded tenant has no connections');
  const organizationMapping = {
    dynamicsOrganization: sales.dataverse.domainName,
    dataverseOrganizationId: await client.getOrganizationId(cds.name),
  };
  await client.createConnectionSet({
    name: 'Bench',
    dynamics: { connectionName: dynamics.name, environmentName: sales.name },
    dataverse: { connectionName: dataverse.name, environmentName: cds.name },
    organizationMappings: [organizationMapping],
  });
  const templateName = 'Accounts (Sales to CDS)';
  await client.createProject({ name: PROJECT, templateName, connectionSetName: 'Bench', organizationMapping, consent: true });
}

/** Starts a run and polls it to its end, as the bot's run watcher does. */
async function runToEnd(client: DataIntegration): Promise<Execution> {
  const id = await client.runProject(PROJECT);
  for (;;) {
    const run = await client.getExecution(PROJECT, id);
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The baseline: the same rows read in the same batches and copied to a plain table, without mapping, validation or upsert. */
function plainCopy(dataDir: string): number {
  const db = openDatabase(dataDir);
  try {
    const accounts = new RecordStore(db).table(sales.name, 'account');
    db.exec('CREATE TABLE bench_copy (record_id TEXT PRIMARY KEY, data TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO bench_copy (record_id, data) VALUES (?, ?)');
    const copyBatch = db.transaction((rows: RawRow[]) => rows.forEach((r) => insert.run(r.recordId, r.data)));
    let rows = 0;
    for (const batch of accounts.batches(BATCH)) {
      copyBatch(batch);
      rows += batch.length;
    }
    return rows;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'di-bench-'));
  try {
    const seeded = await measure(() => startSandbox({ port: 0, dataDir, seed: { accounts: ACCOUNTS } }));
    const sandbox = seeded.result;
    const tokens = staticTokenProvider();
    const client = createDataIntegration({ baseUrls: sandbox.baseUrls, tokens, timeoutMs: 15_000, maxRetries: 0 });
    await setUpProject(client);
    const rssBefore = mb(process.memoryUsage().rss);
    const run = await measure(() => runToEnd(client));
    await sandbox.close();
    const baseline = await measure(() => plainCopy(dataDir));

    const { status, upserts, errorCount } = run.result;
    const rate = (rows: number, seconds: number) => `${fmt(rows / seconds)} rows/s`;
    const times = (m: Measured<unknown>) => `${fmt(m.seconds, 2)} s wall, ${fmt(m.cpuSeconds, 2)} s CPU`;
    const ok = run.seconds < BUDGET.seconds && run.peakRssMb < BUDGET.rssMb && status !== 'failed';
    const lines = [
      `Sandbox run of "Accounts (Sales to CDS)": ${fmt(ACCOUNTS)} source accounts (seeding: ${fmt(seeded.seconds, 1)} s, not counted)`,
      `  run       ${times(run)}: ${rate(upserts + errorCount, run.seconds)}; ${status}, ${fmt(upserts)} upserts, ${fmt(errorCount)} rejected`,
      `  baseline  ${times(baseline)}: ${rate(baseline.result, baseline.seconds)} (same rows and batches, copied without mapping/validation/upsert)`,
      `  ratio     run/baseline: ${fmt(run.seconds / baseline.seconds, 1)}x wall time, ${fmt(run.cpuSeconds / baseline.cpuSeconds, 1)}x CPU time`,
      `  memory    peak RSS ${fmt(run.peakRssMb)} MB during the run (${fmt(rssBefore)} MB before it: ${fmt(run.peakRssMb / rssBefore, 2)}x); ` +
        `process maximum ${fmt(process.resourceUsage().maxRSS / 1024)} MB`,
      `  budget    < ${BUDGET.seconds} s and < ${BUDGET.rssMb} MB: ${ok ? 'OK' : 'EXCEEDED'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
