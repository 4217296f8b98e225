import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDataIntegration, type DataIntegration, type Execution, staticTokenProvider } from '../src/integration';
import { SANDBOX_ENVIRONMENTS, startSandbox } from '../src/sandbox';

/** One run of "Accounts (Sales to CDS)" over 100,000 accounts, against a plain SQLite copy of the same rows. */
const ACCOUNTS = 100_000;
const BATCH = 1000;
const BUDGET = { seconds: 10, rssMb: 300 };
const { sales, cds } = SANDBOX_ENVIRONMENTS;

const mb = (bytes: number) => bytes / 1024 / 1024;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Samples RSS until stopped; returns the peak. */
function watchRss(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

async function runOnce(client: DataIntegration): Promise<Execution> {
  const [dynamics] = await client.listConnections(sales.name, 'dynamics365');
  const [dataverse] = await client.listConnections(cds.name, 'dataverse');
  if (!dynamics || !dataverse) throw new Error('the seeded tenant has no connections');
  const organizationMapping = { dynamicsOrganization: sales.dataverse.domainName, dataverseOrganizationId: await client.getOrganizationId(cds.name) };
  await client.createConnectionSet({
    name: 'Bench', dynamics: { connectionName: dynamics.name, environmentName: sales.name },
    dataverse: { connectionName: dataverse.name, environmentName: cds.name }, organizationMappings: [organizationMapping],
  });
  await client.createProject({ name: 'Bench accounts', templateName: 'Accounts (Sales to CDS)', connectionSetName: 'Bench', organizationMapping, consent: true });
  const id = await client.runProject('Bench accounts');
  for (;;) {
    const run = await client.getExecution('Bench accounts', id);
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The baseline: the same rows copied in the same batches, without mapping, validation or upsert. */
function plainCopy(file: string): { rows: number; seconds: number } {
  const db = new Database(file);
  db.exec('CREATE TABLE bench_copy (record_id TEXT PRIMARY KEY, data TEXT NOT NULL)');
  const select = db.prepare(
    "SELECT record_id AS recordId, data FROM entity_rows WHERE environment = ? AND entity = 'account' AND record_id > ? ORDER BY record_id LIMIT ?",
  );
  const insert = db.prepare('INSERT INTO bench_copy (record_id, data) VALUES (?, ?)');
  const copyBatch = db.transaction((rows: { recordId: string; data: string }[]) => rows.forEach((r) => insert.run(r.recordId, r.data)));
  const started = performance.now();
  let rows = 0;
  for (let after = '', batch = select.all(sales.name, after, BATCH) as { recordId: string; data: string }[]; batch.length > 0;
    batch = select.all(sales.name, after, BATCH) as { recordId: string; data: string }[]) {
    copyBatch(batch);
    rows += batch.length;
    after = batch[batch.length - 1]!.recordId;
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { rows, seconds };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'di-bench-'));
  try {
    const seedStarted = performance.now();
    const sandbox = await startSandbox({ port: 0, dataDir, seed: { accounts: ACCOUNTS } });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const client = createDataIntegration({ baseUrls: sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: 15_000, maxRetries: 0 });
    const rssBefore = process.memoryUsage().rss;
    const stopWatching = watchRss();
    const wallStarted = performance.now();
    const run = await runOnce(client);
    const wallSeconds = (performance.now() - wallStarted) / 1000;
    const peakRss = stopWatching();
    await sandbox.close();

    const runSeconds = (Date.parse(run.endedAt ?? '') - Date.parse(run.startedAt)) / 1000;
    const moved = run.upserts + run.errorCount;
    const baseline = plainCopy(path.join(dataDir, 'sandbox.sqlite'));
    const runRate = moved / runSeconds;
    const baseRate = baseline.rows / baseline.seconds;
    const ok = wallSeconds < BUDGET.seconds && mb(peakRss) < BUDGET.rssMb && run.status !== 'failed';
    const lines = [
      `Sandbox run: "Accounts (Sales to CDS)", ${fmt(ACCOUNTS)} source accounts (seeded in ${fmt(seedSeconds, 1)} s)`,
      `  run              ${fmt(runSeconds, 2)} s, ${fmt(runRate)} rows/s: ${run.status}, ${fmt(run.upserts)} upserts, ${fmt(run.errorCount)} rejected`,
      `  end to end       ${fmt(wallSeconds, 2)} s over HTTP (set-up calls, run, polling)`,
      `  baseline copy    ${fmt(baseline.seconds, 2)} s, ${fmt(baseRate)} rows/s (same rows and batches, no mapping/validation/upsert)`,
      `  run vs baseline  ${fmt(runSeconds / baseline.seconds, 1)}x the time, ${fmt(runRate / baseRate, 2)}x the throughput`,
      `  peak RSS         ${fmt(mb(peakRss))} MB (${fmt(mb(rssBefore))} MB before the run; ${fmt(mb(peakRss) / mb(rssBefore), 2)}x)`,
      `  budget           < ${BUDGET.seconds} s and < ${BUDGET.rssMb} MB: ${ok ? 'OK' : 'EXCEEDED'}`,
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
