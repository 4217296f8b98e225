import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { DATAFLOW_ENVIRONMENT, dataflowRows, refreshRows, runningRow, SANDBOX_DATAFLOWS, type SeedDataflow } from '../seed/dataflows';
import type { DataflowRowStore } from '../store/dataflowRowStore';

/** Refreshes seeded before the first tick, so that a fresh sandbox already shows a history (and a usual interval). */
const HISTORY_REFRESHES = 6;

/**
 * Refreshes the seeded dataflows by themselves every `everyMs`, as a schedule in the maker portal would: each refresh's
 * row is written when it starts (no end time, no status) and completed, with its tables, when it ends.
 */
export class DataflowRefresher {
  private timer?: NodeJS.Timeout;
  private readonly counts = new Map<string, number>();
  private readonly running = new Set<NodeJS.Timeout>();

  constructor(private readonly rows: DataflowRowStore, private readonly everyMs: number, private readonly logger?: Logger) {}

  /** Seeds the dataflows and a short history once per data folder; later starts keep what is there. */
  seed(now: number): boolean {
    if (this.rows.count('msdyn_dataflows') > 0) return false;
    this.rows.save(DATAFLOW_ENVIRONMENT.name, dataflowRows(new Date(now - HISTORY_REFRESHES * this.everyMs).toISOString()));
    for (let i = HISTORY_REFRESHES; i >= 1; i -= 1) this.refreshAll(now - i * this.everyMs);
    return true;
  }

  /** Starts the clock. */
  start(): void {
    this.timer = setInterval(() => this.guarded(() => this.startAll(Date.now())), this.everyMs);
    this.timer.unref();
  }

  /** Stops the clock; refreshes still running stay so (their rows keep no end time), as after an outage. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.running.forEach((t) => clearTimeout(t));
    this.running.clear();
  }

  /** Every seeded dataflow not deleted refreshes once, ending at `endMs`; returns the refresh ids (tests use them). */
  refreshAll(endMs: number): string[] {
    const written = this.listed().map((dataflow) => this.refresh(dataflow, endMs));
    this.rows.save(DATAFLOW_ENVIRONMENT.name, written.flat());
    return written.map((rows) => rows[0]!.id);
  }

  private startAll(startMs: number): void {
    const durationMs = this.durationMs();
    const started = this.listed().map((dataflow) => ({ dataflow, id: randomUUID() }));
    this.rows.save(DATAFLOW_ENVIRONMENT.name, started.map(({ dataflow, id }) => runningRow(dataflow, id, startMs)));
    const done = setTimeout(() => {
      this.running.delete(done);
      this.guarded(() => this.rows.save(DATAFLOW_ENVIRONMENT.name, started.flatMap(({ dataflow, id }) => this.refresh(dataflow, startMs + durationMs, id))));
    }, durationMs);
    done.unref();
    this.running.add(done);
  }

  /** Deletes a seeded dataflow, as in the maker portal: it is no longer listed and no longer refreshes. */
  remove(dataflowId: string): void {
    this.rows.delete('msdyn_dataflows', DATAFLOW_ENVIRONMENT.name, dataflowId);
  }

  /** The seeded dataflows still in the environment. */
  private listed(): SeedDataflow[] {
    const ids = new Set(this.rows.rows('msdyn_dataflows', DATAFLOW_ENVIRONMENT.name).map((r) => r.msdyn_dataflowid));
    return SANDBOX_DATAFLOWS.filter((d) => ids.has(d.id));
  }

  private refresh(dataflow: SeedDataflow, endMs: number, refreshId?: string) {
    const n = (this.counts.get(dataflow.id) ?? this.countOf(dataflow)) + 1;
    this.counts.set(dataflow.id, n);
    return refreshRows(dataflow, n, endMs, this.durationMs(), refreshId);
  }

  private durationMs(): number {
    return Math.min(45_000, Math.floor(this.everyMs / 2));
  }

  private guarded(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.logger?.error({ err }, 'sandbox dataflow refresh failed');
    }
  }

  private countOf(dataflow: SeedDataflow): number {
    return this.rows.rows('msdyn_dataflowrefreshhistories', DATAFLOW_ENVIRONMENT.name).filter((r) => r.msdyn_dataflowid === dataflow.id && r.msdyn_endtime !== null).length;
  }
}
