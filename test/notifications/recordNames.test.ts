import { Writable } from 'node:stream';
import { DataIntegrationError, type EntityMapping, type Execution, type RecordName } from '../../src/integration/port';
import { createLogger } from '../../src/logger';
import { type RecordNameSource, withRecordNames } from '../../src/notifications/alertDelivery';

const SALES = 'sales-env';
const mapping = (task: string, sourceEntity: string): EntityMapping => ({
  sourceEntity, destinationEntity: sourceEntity, fieldMappings: [], integrationKey: [], origin: { task, leg: 0 }, sourceEnvironment: SALES,
});
const run = (recordErrors: Execution['recordErrors']): Execution => ({
  id: 'exec-1', projectName: 'AccSync', status: 'warning', upserts: 5, errorCount: recordErrors.length, recordErrors,
  submittedAt: '2026-12-01T23:54:00.000Z', startedAt: '2026-12-01T23:54:00.000Z', endedAt: '2026-12-01T23:54:01.000Z',
});
const error = (recordId: string, task?: string) => ({ recordId, message: 'bad', ...(task ? { origin: { task, leg: 0 } } : {}) });

/** A project with the given mappings and a name lookup that answers from `names` (or as `answer` says). */
function source(mappings: EntityMapping[], names: Record<string, RecordName>, answer?: () => Promise<never>) {
  const calls: Array<{ environment: string; entity: string; ids: readonly string[] }> = [];
  const di: RecordNameSource = {
    getProject: async (name) => ({ id: 'p', name, displayName: name, entityMappings: mappings, validationIssues: [] }),
    recordNames: async (environment, entity, ids) => {
      calls.push({ environment: String(environment), entity, ids });
      if (answer) return answer();
      return new Map(ids.filter((id) => names[id]).map((id) => [id, names[id]!]));
    },
  };
  return { di, calls };
}

/** A logger whose JSON lines the test reads. */
function capturedLogger() {
  const lines: string[] = [];
  const logger = createLogger('warn', new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
  return { logger, lines };
}

describe('naming the rejected records a card lists (issue 12, item 15)', () => {
  test('each record is named from its own mapping\'s table, one lookup per table, only the listed ones', async () => {
    const { di, calls } = source([mapping('accounts', 'account'), mapping('contacts', 'contact')], {
      a1: { name: 'Contoso Ltd', number: 'ACC-0042' }, c1: { name: 'Adele Vance' }, a2: { name: '', number: '' },
    });
    const named = await withRecordNames(di, run([error('a1', 'accounts'), error('c1', 'contacts'), error('a2', 'accounts'), error('x1', 'elsewhere'), error('a3', 'accounts')]), 4);
    expect(named.recordErrors.map((e) => e.record)).toEqual([{ name: 'Contoso Ltd', number: 'ACC-0042' }, { name: 'Adele Vance' }, undefined, undefined, undefined]);
    expect(calls).toEqual([{ environment: SALES, entity: 'account', ids: ['a1', 'a2'] }, { environment: SALES, entity: 'contact', ids: ['c1'] }]);
  });

  test('a project with one mapping names records the history does not place; no source environment, no lookup', async () => {
    const one = source([mapping('accounts', 'account')], { a1: { name: 'Contoso Ltd' } });
    expect((await withRecordNames(one.di, run([error('a1')]), 3)).recordErrors[0]?.record).toEqual({ name: 'Contoso Ltd' });
    const unbound = source([{ ...mapping('accounts', 'account'), sourceEnvironment: undefined }], { a1: { name: 'Contoso Ltd' } });
    expect((await withRecordNames(unbound.di, run([error('a1', 'accounts')]), 3)).recordErrors[0]?.record).toBeUndefined();
    expect(unbound.calls).toEqual([]);
  });

  test('a failing lookup leaves the ids alone and logs a warning that names no record', async () => {
    const { logger, lines } = capturedLogger();
    const failing = source([mapping('accounts', 'account')], {}, async () => {
      throw new DataIntegrationError('Dataverse failed (500)', { service: 'dataverse', code: 'server_error', status: 500 });
    });
    const execution = run([error('a1', 'accounts')]);
    expect(await withRecordNames(failing.di, execution, 3, { logger })).toBe(execution);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, projectName: 'AccSync', executionId: 'exec-1', records: 1, err: { code: 'server_error' } });
    expect(lines[0]).not.toContain('a1');
  });

  test('a lookup that does not answer in time leaves the ids alone', async () => {
    const hanging = source([mapping('accounts', 'account')], {}, () => new Promise<never>(() => undefined));
    const execution = run([error('a1', 'accounts')]);
    const started = Date.now();
    expect(await withRecordNames(hanging.di, execution, 3, { timeoutMs: 30 })).toBe(execution);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('a run without rejected records asks nothing', async () => {
    const { di, calls } = source([mapping('accounts', 'account')], {});
    const execution = run([]);
    expect(await withRecordNames({ ...di, getProject: () => Promise.reject(new Error('not asked')) }, execution, 3)).toBe(execution);
    expect(calls).toEqual([]);
  });
});
