import type { EntityMappingRecord } from '../model';
import type { ColumnRule, TableSpec } from '../seed/tables';

/** Why a run cannot start or go on; its message is shown in the run history. */
export class RunFailure extends Error {}

/** What one source row became: a destination row and its integration key, or the reason it was rejected. */
export type MappedRow =
  | { ok: true; key: string; data: Record<string, unknown> }
  | { ok: false; field: string; message: string };

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function problemWith(column: string, rule: ColumnRule, value: unknown): string | undefined {
  if (isEmpty(value)) return rule.required ? `Required field "${column}" is empty` : undefined;
  switch (rule.type) {
    case 'text':
    case 'email': {
      const text = String(value);
      if (text.length > rule.maxLength) {
        return `"${column}" is ${text.length} characters long; the destination allows at most ${rule.maxLength}`;
      }
      return rule.type === 'email' && !EMAIL.test(text) ? `"${column}" is not a valid e-mail address` : undefined;
    }
    case 'integer':
    case 'money': {
      const number = Number(value);
      const whole = rule.type === 'integer' ? Number.isInteger(number) : Number.isFinite(number);
      if (whole && number >= rule.min && number <= rule.max) return undefined;
      const kind = rule.type === 'integer' ? 'a whole number' : 'an amount';
      return `"${column}" must be ${kind} from ${rule.min} to ${rule.max} (was ${String(value)})`;
    }
  }
}

/** Compiles an entity mapping against the destination table: unknown columns fail the run up front. */
export function compileMapping(mapping: EntityMappingRecord, table: TableSpec | undefined): (source: Record<string, unknown>) => MappedRow {
  if (!table) throw new RunFailure(`Table "${mapping.destinationEntity}" does not exist in the destination environment`);
  const columns = mapping.fieldMappings.map((f) => {
    const rule = table[f.destinationField];
    if (!rule) throw new RunFailure(`Column "${f.destinationField}" does not exist in table "${mapping.destinationEntity}"`);
    return { ...f, rule };
  });
  const mapped = new Set(columns.map((c) => c.destinationField));
  const unmappedRequired = Object.entries(table).filter(([name, rule]) => rule.required && !mapped.has(name));
  if (unmappedRequired.length > 0) {
    const names = unmappedRequired.map(([name]) => `"${name}"`).join(', ');
    throw new RunFailure(`Required column(s) ${names} of "${mapping.destinationEntity}" are not mapped`);
  }
  const sourceFieldOf = new Map(columns.map((c) => [c.destinationField, c.sourceField]));
  if (mapping.integrationKey.length === 0 || mapping.integrationKey.some((f) => !mapped.has(f))) {
    throw new RunFailure(`The integration key of "${mapping.destinationEntity}" must be one or more mapped columns`);
  }

  return (source) => {
    const data: Record<string, unknown> = {};
    for (const column of columns) {
      const value = source[column.sourceField];
      const problem = problemWith(column.destinationField, column.rule, value);
      if (problem) return { ok: false, field: column.sourceField, message: problem };
      if (!isEmpty(value)) data[column.destinationField] = value;
    }
    const keyValues = mapping.integrationKey.map((field) => data[field]);
    const missing = mapping.integrationKey.find((_, i) => isEmpty(keyValues[i]));
    if (missing !== undefined) {
      return { ok: false, field: sourceFieldOf.get(missing) ?? missing, message: `Integration key field "${missing}" is empty` };
    }
    return { ok: true, key: keyValues.map(String).join('\u001f'), data };
  };
}
