import { SandboxHttpError } from '../http/sandboxHttpError';

/** A table as the Dataverse Web API addresses it: the logical name behind an entity set and its id column. */
export interface EntitySetWire {
  entity: string;
  idColumn: string;
  /** Columns Dataverse computes from others, e.g. a contact's `fullname`. */
  computed?: Readonly<Record<string, (row: Record<string, unknown>) => unknown>>;
}

const fullName = (row: Record<string, unknown>) =>
  [row.firstname, row.lastname].filter((part) => typeof part === 'string' && part !== '').join(' ') || null;

/** The entity sets of the tables the sandbox keeps (the Web API's plural names). */
export const ENTITY_SETS: Readonly<Record<string, EntitySetWire>> = {
  accounts: { entity: 'account', idColumn: 'accountid' },
  contacts: { entity: 'contact', idColumn: 'contactid', computed: { fullname: fullName } },
  products: { entity: 'product', idColumn: 'productid' },
};

/** A page of rows of `GET {entitySet}`: each row has its `@odata.etag`, its id and the selected columns (null when empty). */
export interface RecordPageWire {
  '@odata.context': string;
  value: Array<Record<string, unknown>>;
}

/** How Dataverse names a bad query (an OData parse error) and a missing segment. */
const QUERY_ERROR = '0x80060888';
/** The sandbox reads at most this many ids from one filter. */
const MAX_FILTER_IDS = 100;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The entity set of a path, or the 404 Dataverse answers for an unknown segment. */
export function entitySetNamed(name: string): EntitySetWire {
  const set = ENTITY_SETS[name];
  if (!set) throw new SandboxHttpError(404, QUERY_ERROR, `Resource not found for the segment '${name}'.`);
  return set;
}

/**
 * The ids of a `$filter` of the one form the sandbox understands: `<id column> eq <guid>` joined by
 * `or` (what a client sends to read a few known records). Anything else is a 400, as an OData query
 * the sandbox cannot evaluate.
 */
export function idsOfFilter(set: EntitySetWire, filter: string | null): string[] {
  const terms = (filter ?? '').trim().split(/\s+or\s+/i);
  const ids = terms.map((term) => {
    const [column, op, value] = term.trim().split(/\s+/);
    if (column === set.idColumn && op?.toLowerCase() === 'eq' && value && GUID.test(value)) return value.toLowerCase();
    throw new SandboxHttpError(400, QUERY_ERROR, `The sandbox reads only "$filter=${set.idColumn} eq <id> or …" (got "${term}").`);
  });
  if (ids.length > MAX_FILTER_IDS) throw new SandboxHttpError(400, QUERY_ERROR, `At most ${MAX_FILTER_IDS} ids in one filter.`);
  return ids;
}

/** The columns of `$select`, each checked against the table's; undefined selects every column. */
export function selectedColumns(set: EntitySetWire, known: readonly string[], select: string | null): string[] | undefined {
  if (select === null) return undefined;
  const columns = select.split(',').map((c) => c.trim());
  const unknown = columns.find((c) => c !== set.idColumn && !known.includes(c) && !set.computed?.[c]);
  if (unknown !== undefined) {
    throw new SandboxHttpError(400, QUERY_ERROR, `Could not find a property named '${unknown}' on type 'Microsoft.Dynamics.CRM.${set.entity}'.`);
  }
  return columns;
}
