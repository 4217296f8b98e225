import { timeout, TimeoutStrategy } from 'cockatiel';
import type { DataIntegration, EntityMapping, Execution, RecordError, RecordName } from '../integration/port';
import type { Logger } from '../logger';

/** How long a card waits for the names of its rejected records before it goes out with their ids alone. */
export const RECORD_NAMES_TIMEOUT_MS = 5000;

/** What naming records asks of Data Integration: the project (which table, which environment) and the names. */
export type RecordNameSource = Pick<DataIntegration, 'getProject' | 'recordNames'>;

/** Options of withRecordNames. */
export interface RecordNameOptions {
  logger?: Logger;
  timeoutMs?: number;
}

/**
 * The run with its first `count` rejected records named (primary name and number, from the source
 * environment), for a card to show beside the ids. Best effort: when the project, the environment or
 * the table is unknown, or the lookup fails or takes longer than the time-out, the run comes back as
 * it was (ids only) and a warning is logged; it never rejects.
 */
export async function withRecordNames(
  di: RecordNameSource, execution: Execution, count: number, options: RecordNameOptions = {},
): Promise<Execution> {
  const listed = execution.recordErrors.slice(0, count);
  if (listed.length === 0) return execution;
  const { logger, timeoutMs = RECORD_NAMES_TIMEOUT_MS } = options;
  try {
    // Aggressive: the card goes out at the deadline even if the lookup does not stop by itself.
    const names = await timeout(timeoutMs, TimeoutStrategy.Aggressive).execute(() => namesOf(di, execution.projectName, listed));
    const recordErrors = execution.recordErrors.map((e, i) => (names[i] ? { ...e, record: names[i] } : e));
    return { ...execution, recordErrors };
  } catch (err) {
    // Record names are customer data: the log says which run, never which records.
    logger?.warn({ err, projectName: execution.projectName, executionId: execution.id, records: listed.length }, 'record names not looked up; the card shows ids only');
    return execution;
  }
}

/** The mapping a rejected record came from: the one its leg names, or the project's only one. */
function mappingOf(mappings: readonly EntityMapping[], e: RecordError): EntityMapping | undefined {
  if (!e.origin) return mappings.length === 1 ? mappings[0] : undefined;
  const { task, leg } = e.origin;
  return mappings.find((m) => m.origin?.task === task && m.origin.leg === leg);
}

/** One lookup per source table (usually one in all); the names in the order of `listed`. */
async function namesOf(di: RecordNameSource, projectName: string, listed: readonly RecordError[]): Promise<Array<RecordName | undefined>> {
  const { entityMappings } = await di.getProject(projectName);
  const tables = new Map<string, { environment: string; entity: string; ids: string[] }>();
  const tableOf = listed.map((e) => {
    const mapping = mappingOf(entityMappings, e);
    if (!mapping?.sourceEnvironment) return undefined;
    const key = `${mapping.sourceEnvironment}|${mapping.sourceEntity}`;
    const table = tables.get(key) ?? tables.set(key, { environment: mapping.sourceEnvironment, entity: mapping.sourceEntity, ids: [] }).get(key)!;
    table.ids.push(e.recordId);
    return key;
  });
  const found = new Map(await Promise.all([...tables].map(async ([key, t]) => [key, await di.recordNames(t.environment, t.entity, t.ids)] as const)));
  return listed.map((e, i) => {
    const name = found.get(tableOf[i] ?? '')?.get(e.recordId);
    return name && (name.name || name.number) ? name : undefined;
  });
}
