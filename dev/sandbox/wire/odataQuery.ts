import { SandboxHttpError } from '../http/sandboxHttpError';
import type { ColumnType, DataflowRow, DataflowTable } from './dataflowTables';

/** How Dataverse names a query it cannot parse or evaluate. */
export const ODATA_ERROR = '0x80060888';

/** The query options the sandbox evaluates; Dataverse refuses `$skip` itself, the others here are not imitated. */
const SUPPORTED = new Set(['$select', '$filter', '$orderby', '$skiptoken']);

/** A parsed query: which rows, in which order, which columns, from which offset. */
export interface ODataQuery {
  select?: string[];
  where: (row: DataflowRow) => boolean;
  order: (a: DataflowRow, b: DataflowRow) => number;
  offset: number;
}

const refuse = (message: string) => new SandboxHttpError(400, ODATA_ERROR, message);

/** Reads `$select`, `$filter`, `$orderby` and `$skiptoken`; any other `$` option, column or syntax is a 400. */
export function parseODataQuery(table: DataflowTable, query: URLSearchParams): ODataQuery {
  for (const key of query.keys()) {
    if (key.startsWith('$') && !SUPPORTED.has(key)) throw refuse(`The query parameter ${key} is not supported`);
  }
  const column = (name: string) => {
    const type = table.columns[name];
    if (!type) throw refuse(`Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${table.entity}'.`);
    return { name, type };
  };
  const select = query.get('$select')?.split(',').map((c) => column(c.trim()).name);
  const filter = query.get('$filter');
  const where = filter === null ? () => true : new FilterParser(filter, column).parse();
  const order = orderOf(query.get('$orderby'), column);
  const skip = query.get('$skiptoken') ?? '0';
  if (!/^\d+$/.test(skip)) throw refuse('The $skiptoken is not one the sandbox wrote');
  return { ...(select ? { select } : {}), where, order, offset: Number(skip) };
}

type Column = (name: string) => { name: string; type: ColumnType };

function orderOf(orderby: string | null, column: Column): ODataQuery['order'] {
  const keys = (orderby ?? '').split(',').filter((k) => k.trim() !== '').map((key) => {
    const [name = '', direction = 'asc', extra] = key.trim().split(/\s+/);
    if (extra !== undefined || !/^(asc|desc)$/i.test(direction)) throw refuse(`Syntax error in $orderby at '${key.trim()}'`);
    return { ...column(name), sign: /^desc$/i.test(direction) ? -1 : 1 };
  });
  return (a, b) => {
    for (const { name, type, sign } of keys) {
      const c = compare(type, a[name] ?? null, b[name] ?? null);
      if (c !== 0) return c * sign;
    }
    return 0;
  };
}

/** Nulls sort first, as Dataverse sorts them ascending; text without regard to case (Dataverse's collation). */
function compare(type: ColumnType, a: string | number | null, b: string | number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (type === 'datetime') return Date.parse(String(a)) - Date.parse(String(b));
  if (type === 'int') return Number(a) - Number(b);
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

const OPERATORS: Readonly<Record<string, (c: number) => boolean>> = {
  eq: (c) => c === 0, ne: (c) => c !== 0, gt: (c) => c > 0, ge: (c) => c >= 0, lt: (c) => c < 0, le: (c) => c <= 0,
};
const LITERAL: Readonly<Record<ColumnType, RegExp>> = {
  guid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  string: /^'(?:[^']|'')*'$/,
  int: /^-?\d+$/,
  datetime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
};

/** `a or b`, `a and b`, `( … )` and `column op literal` with eq, ne, gt, ge, lt, le (and `null`): what the bot sends. */
class FilterParser {
  private readonly tokens: string[];
  private at = 0;

  constructor(private readonly text: string, private readonly column: Column) {
    this.tokens = text.match(/'(?:[^']|'')*'|\(|\)|[^\s()]+/g) ?? [];
  }

  parse(): (row: DataflowRow) => boolean {
    const predicate = this.or();
    if (this.at < this.tokens.length) throw this.syntax();
    return predicate;
  }

  private or(): (row: DataflowRow) => boolean {
    const terms = [this.and()];
    while (this.take('or')) terms.push(this.and());
    return (row) => terms.some((t) => t(row));
  }

  private and(): (row: DataflowRow) => boolean {
    const terms = [this.primary()];
    while (this.take('and')) terms.push(this.primary());
    return (row) => terms.every((t) => t(row));
  }

  private primary(): (row: DataflowRow) => boolean {
    if (this.take('(')) {
      const inner = this.or();
      if (!this.take(')')) throw this.syntax();
      return inner;
    }
    const [name, op, literal] = [this.next(), this.next().toLowerCase(), this.next()];
    const { type } = this.column(name);
    const test = OPERATORS[op];
    if (!test) throw this.syntax();
    if (literal === 'null') return (row) => test((row[name] ?? null) === null ? 0 : 1);
    if (!LITERAL[type].test(literal)) throw refuse(`A binary operator with incompatible types was detected: '${name}' and '${literal}'`);
    const value = type === 'string' ? literal.slice(1, -1).replace(/''/g, "'") : type === 'int' ? Number(literal) : literal;
    return (row) => {
      const own = row[name] ?? null;
      return own !== null && test(compare(type, own, value));
    };
  }

  private take(token: string): boolean {
    if (this.tokens[this.at]?.toLowerCase() !== token) return false;
    this.at += 1;
    return true;
  }

  private next(): string {
    const token = this.tokens[this.at];
    if (token === undefined) throw this.syntax();
    this.at += 1;
    return token;
  }

  private syntax(): SandboxHttpError {
    return refuse(`Syntax error at position ${this.at} in '${this.text}'`);
  }
}
