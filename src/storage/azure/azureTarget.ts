import { createHash } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { callSignalPolicy, RETRIES } from './callSignal';
import { sharedTokenRequests } from './sharedTokenRequests';

/** Where the Azure backend keeps its state: a key-based connection string (Azurite), or endpoints reached with a managed identity. */
export type AzureTarget =
  | { kind: 'connectionString'; connectionString: string; prefix: string }
  | { kind: 'identity'; blobUrl: string; tableUrl: string; credential: TokenCredential; prefix: string };

/** The configuration keys it is built from (see .env.sample). */
export interface AzureTargetKeys {
  AZURE_STORAGE_CONNECTION_STRING?: string;
  AZURE_STORAGE_ACCOUNT_URL?: string;
  AZURE_STORAGE_TABLE_URL?: string;
  /** The user-assigned managed identity's client id; empty: the Web App's system-assigned identity. */
  AZURE_CLIENT_ID?: string;
  AZURE_STATE_PREFIX: string;
}

/**
 * Builds the target; with an account URL, the bot's managed identity (no secret in config). ManagedIdentityCredential,
 * not DefaultAzureCredential: in production the credential must be the one deployed, never a developer's `az login`
 * found further down the chain (Microsoft's advice: learn.microsoft.com/azure/developer/javascript/sdk/authentication/best-practices).
 * @azure/identity is required only then: with a connection string the start need not load it. The six clients share
 * the credential and its requests in flight: the start asks the identity endpoint for one token, not six.
 */
export function azureTarget(keys: AzureTargetKeys): AzureTarget {
  const prefix = keys.AZURE_STATE_PREFIX;
  if (keys.AZURE_STORAGE_CONNECTION_STRING) return { kind: 'connectionString', connectionString: keys.AZURE_STORAGE_CONNECTION_STRING, prefix };
  if (!keys.AZURE_STORAGE_ACCOUNT_URL) throw new Error('STATE_STORE=azure needs AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL');
  const blobUrl = keys.AZURE_STORAGE_ACCOUNT_URL.replace(/\/+$/, '');
  const tableUrl = keys.AZURE_STORAGE_TABLE_URL?.replace(/\/+$/, '') ?? blobUrl.replace('.blob.', '.table.');
  const { ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
  const credential = sharedTokenRequests(new ManagedIdentityCredential(keys.AZURE_CLIENT_ID ? { clientId: keys.AZURE_CLIENT_ID } : {}));
  return { kind: 'identity', blobUrl, tableUrl, credential, prefix };
}

/** A client for one table of the target, its requests cut off by the call's signal (plain http only for a local emulator's connection string). */
export function tableClient(target: AzureTarget, name: string): TableClient {
  const table = `${target.prefix}${name}`;
  const options = { retryOptions: RETRIES.tables, additionalPolicies: [callSignalPolicy] };
  if (target.kind === 'identity') return new TableClient(target.tableUrl, table, target.credential, options);
  return TableClient.fromConnectionString(target.connectionString, table, { ...options, allowInsecureConnection: /DefaultEndpointsProtocol=http;/i.test(target.connectionString) || /Endpoint=http:/i.test(target.connectionString) });
}

/** A client for one blob container of the target. */
export function containerClient(target: AzureTarget, name: string): ContainerClient {
  const container = `${target.prefix}-${name}`;
  if (target.kind === 'identity') return new ContainerClient(`${target.blobUrl}/${container}`, target.credential, { retryOptions: RETRIES.blobs });
  return new ContainerClient(target.connectionString, container, { retryOptions: RETRIES.blobs });
}

/** The HTTP status of an Azure SDK error (RestError), if it has one. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** PartitionKey and RowKey may not hold / \ # ? or control characters: encode them away. */
export const tableKey = (value: string): string => encodeURIComponent(value);

/** Azure Tables takes at most 512 characters in a RowKey. */
const ROW_KEY_MAX = 512;

/**
 * `prefix` and the key of a name that can be long (a project's, up to 200 characters; in non-Latin letters each
 * encodes to nine), leaving `room` characters for what follows it (a report's run id). Readable (tableKey) while
 * that fits, so rows written before stay where they are; else a hash, for keys that could never be written (Azure
 * refused them, and each poll alerted the same run again).
 */
export function nameKey(prefix: string, name: string, room = 0): string {
  const readable = `${prefix}${tableKey(name)}`;
  return readable.length + room <= ROW_KEY_MAX ? readable : `${prefix}h:${createHash('sha256').update(name).digest('base64url')}`;
}

/** Every entity the backend writes carries its schema version and its record as JSON. */
export const SCHEMA_VERSION = 1;
export const versionedEntity = z.object({ v: z.literal(SCHEMA_VERSION), body: z.string() }).loose();

/** Reads a versioned entity's record back through its zod schema. */
export function readBody<T>(entity: unknown, schema: z.ZodType<T>): T {
  return schema.parse(JSON.parse(versionedEntity.parse(entity).body));
}

/**
 * How many delete requests a prune makes at once: the state store gives each call 3 s (STATE_DEADLINE_MS), and a
 * request to Azure Storage takes some 10 to 50 ms, so 20 rounds of them end well within it.
 */
export const DELETES_IN_FLIGHT = 10;

/** `each` of the items, DELETES_IN_FLIGHT at once, one round after the other; what each gave, in order. */
export async function inRounds<T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const done: R[] = [];
  for (let i = 0; i < items.length; i += DELETES_IN_FLIGHT) done.push(...await Promise.all(items.slice(i, i + DELETES_IN_FLIGHT).map(each)));
  return done;
}

/** Collects a listEntities() page iterator. */
export async function all<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}
