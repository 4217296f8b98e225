import { z } from 'zod';
import type { RecordName } from '../port';

/** The Dataverse WhoAmI() answer (documented). */
export const whoAmIWireSchema = z.object({
  BusinessUnitId: z.guid(),
  UserId: z.guid(),
  OrganizationId: z.guid(),
});

/** Wire type of WhoAmI, as the sandbox writes it. */
export type WhoAmIWire = z.input<typeof whoAmIWireSchema>;

/** Where a table keeps its id, its primary name and (for some) a number people know the record by. */
export interface PrimaryColumns {
  /** The Web API's name for the table, e.g. `accounts`. */
  entitySet: string;
  id: string;
  name: string;
  number?: string;
}

/**
 * The standard tables whose records a run may reject (documented in the Dataverse table reference).
 * A table not listed gets no names: its ids are shown alone.
 */
const PRIMARY_COLUMNS: Readonly<Record<string, PrimaryColumns>> = {
  account: { entitySet: 'accounts', id: 'accountid', name: 'name', number: 'accountnumber' },
  contact: { entitySet: 'contacts', id: 'contactid', name: 'fullname' },
  product: { entitySet: 'products', id: 'productid', name: 'name', number: 'productnumber' },
};

/** The primary columns of a table by its logical name (any case), or undefined for a table not known here. */
export function primaryColumnsOf(entity: string): PrimaryColumns | undefined {
  return PRIMARY_COLUMNS[entity.toLowerCase()];
}

const text = z.string().max(1000).nullish();

/** A page of rows of `GET {entitySet}?$select=…` (documented OData), reduced to id, name and number. */
export function recordNamesPageWireSchema(columns: PrimaryColumns) {
  const row = z.object({ id: z.guid(), name: text, number: text });
  const pick = (r: unknown) => {
    if (typeof r !== 'object' || r === null) return r;
    const columnsOf = r as Record<string, unknown>;
    return { id: columnsOf[columns.id], name: columnsOf[columns.name], number: columns.number ? columnsOf[columns.number] : undefined };
  };
  return z.object({ value: z.array(z.preprocess(pick, row)) });
}

/** The name and number of a row, without the empty ones. */
export function toRecordName(row: { name?: string | null; number?: string | null }): RecordName {
  return { ...(row.name ? { name: row.name } : {}), ...(row.number ? { number: row.number } : {}) };
}
