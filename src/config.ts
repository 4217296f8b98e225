import { z } from 'zod';
import { isLoopbackUrl } from './loopback';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const csv = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const url = z.url({ protocol: /^https?$/ });

/** Every environment key the bot reads, with its default. `.env.sample` documents each one. */
export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    DATA_DIR: z.string().min(1).default('./.data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).optional(),
    MicrosoftAppTenantId: optionalText.pipe(z.guid({ message: 'must be a GUID (the Directory (tenant) ID of your Entra ID tenant)' }).optional()),
    OAUTH_CONNECTION_NAME: z.string().min(1).default('DataIntegration'),
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3979),
    START_SANDBOX: bool.optional(),
    BAP_BASE_URL: url.optional(),
    POWERAPPS_BASE_URL: url.optional(),
    INTEGRATOR_BASE_URL: url.optional(),
    /** Corrected Data Integrator routes (`npm run tenant-check -- --out` writes one). */
    INTEGRATOR_ROUTES_FILE: optionalText,
    HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
    HTTP_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    BOT_TIMEOUT_MS: z.coerce.number().int().min(100).default(8000),
    BOT_OPENID_METADATA_URL: url.optional(),
    /** The Bot Framework token service (sign-in, SSO token exchange); unset, botbuilder's default https://api.botframework.com. */
    BOT_OAUTH_URL: url.optional(),
    RUN_POLL_SECONDS: z.coerce.number().int().min(1).default(30),
    /** Every watched project is looked at at least once every this many polls (runs started in the portal, schedules changed there). */
    RUN_SWEEP_EVERY_POLLS: z.coerce.number().int().min(1).default(10),
    /** ...but a poll's sweep looks at no more projects than this: many projects are swept more slowly instead of costing more calls. */
    RUN_SWEEP_MAX_PER_POLL: z.coerce.number().int().min(1).default(200),
    SCHEDULE_APPROVERS: csv,
    ALLOW_SELF_APPROVAL: bool.default(false),
    APPROVAL_TTL_HOURS: z.coerce.number().positive().default(72),
    STATE_STORE: z.enum(['sqlite', 'azure']).default('sqlite'),
    AZURE_STORAGE_CONNECTION_STRING: optionalText,
    AZURE_STORAGE_ACCOUNT_URL: url.optional(),
    AZURE_STORAGE_TABLE_URL: url.optional(),
    /** With AZURE_STORAGE_ACCOUNT_URL: the user-assigned managed identity that reaches the storage account (empty: the system-assigned one). */
    AZURE_CLIENT_ID: optionalText,
    AZURE_STATE_PREFIX: z.string().regex(/^[a-z][a-z0-9]{2,20}$/, 'lowercase letters and digits, 3 to 21, starting with a letter').default('dibot'),
    LEADER_LEASE_SECONDS: z.coerce.number().int().min(15).max(60).default(15),
    /** How long a turn, a poll or /readyz waits for Azure Storage before it counts as not answering (the bounded stores' deadline). */
    STATE_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(3000),
    SANDBOX_URL: url.optional(),
    /** Tests only: the sandbox's minute in milliseconds, so that a 1-minute schedule fires faster. */
    SANDBOX_MINUTE_MS: z.coerce.number().int().min(100).optional(),
    /** The embedded sandbox: seconds between two refreshes of each seeded dataflow. */
    SANDBOX_DATAFLOW_EVERY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
    /** Telemetry (src/telemetry/startTelemetry.ts): Application Insights' live metrics, and the standard OTLP keys the bot itself reads. */
    APPLICATIONINSIGHTS_LIVE_METRICS: bool.default(true),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(url.optional()),
    OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/json', 'http/protobuf']).default('http/protobuf'),
    OTEL_SERVICE_NAME: z.string().min(1).default('data-integration-bot'),
    OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().min(100).default(60_000),
  });

/**
 * The keys whose URL gets a token (a person's sign-in for the Data Integrator, the bot's own for the rest), and the one
 * whose answer says which channel tokens the bot trusts (signing keys read over http could be anyone's).
 */
const TOKEN_URL_KEYS = ['INTEGRATOR_BASE_URL', 'BAP_BASE_URL', 'POWERAPPS_BASE_URL', 'BOT_OAUTH_URL', 'SANDBOX_URL', 'BOT_OPENID_METADATA_URL'] as const;

/**
 * A token goes only where the URL says: never in plain text off this machine in Teams mode (a stand-in on loopback, as
 * the tests use, may speak http), and never to a URL that carries a password of its own (the calls would be refused).
 */
function tokenUrlIssues(env: NodeJS.ProcessEnv, teams: boolean): string[] {
  return TOKEN_URL_KEYS.flatMap((key) => {
    const value = env[key]?.trim();
    if (!value || !URL.canParse(value)) return [];
    const url = new URL(value);
    if (url.username || url.password) return [`${key}: must not hold a user name or password`];
    if (teams && url.protocol !== 'https:' && !isLoopbackUrl(value)) return [`${key}: must be an https:// URL in Teams mode (tokens depend on it), not ${url.protocol}//${url.host}`];
    return [];
  });
}

/** Rules across keys, checked on the raw strings so they are reported together with per-key errors. */
function crossKeyIssues(env: NodeJS.ProcessEnv): string[] {
  const teams = Boolean(env.MicrosoftAppId?.trim());
  const issues: string[] = [...stateStoreIssues(env), ...tokenUrlIssues(env, teams)];
  if (!teams) return issues;
  const type = env.MicrosoftAppType;
  if (!type) issues.push('MicrosoftAppType: required when MicrosoftAppId is set (SingleTenant or UserAssignedMSI)');
  const tenant = env.MicrosoftAppTenantId?.trim();
  if (type === 'SingleTenant' && !tenant) issues.push('MicrosoftAppTenantId: required for a SingleTenant bot');
  // botbuilder refuses a user-assigned managed identity without its tenant, but only once the adapter is built: say it here, as a config error.
  if (type === 'UserAssignedMSI' && !tenant) issues.push('MicrosoftAppTenantId: required for a UserAssignedMSI bot (the tenant GUID of the managed identity)');
  if (type === 'MultiTenant' && !tenant) {
    issues.push('MicrosoftAppType: MultiTenant needs MicrosoftAppTenantId to reach the Power Platform, and new multi-tenant bots can no longer be created: use SingleTenant (with MicrosoftAppTenantId) or UserAssignedMSI');
  }
  if (type !== 'UserAssignedMSI' && !env.MicrosoftAppPassword?.trim()) issues.push('MicrosoftAppPassword: required unless MicrosoftAppType is UserAssignedMSI');
  const approvers = approversProblem(env.SCHEDULE_APPROVERS);
  if (approvers) issues.push(`SCHEDULE_APPROVERS: ${approvers}`);
  if (!env.INTEGRATOR_BASE_URL?.trim() && env.START_SANDBOX !== 'true') {
    issues.push('INTEGRATOR_BASE_URL: required in Teams mode (the Data Integrator host of your region), unless START_SANDBOX=true');
  }
  return issues;
}

/**
 * What is wrong with a SCHEDULE_APPROVERS list for Teams (undefined: nothing). Teams names people by their Entra object
 * id: a UPN or an e-mail would match nobody, and no request could be decided. `npm run deploy` checks it too.
 */
export function approversProblem(list: string | undefined): string | undefined {
  const notIds = (list ?? '').split(',').map((a) => a.trim()).filter((a) => a && !z.guid().safeParse(a).success);
  return notIds.length === 0 ? undefined : `Entra object ids (GUIDs) in Teams mode, not ${notIds.slice(0, 3).map((a) => `"${a.slice(0, 80)}"`).join(', ')}`;
}

/** STATE_STORE=azure needs somewhere to keep the state. */
function stateStoreIssues(env: NodeJS.ProcessEnv): string[] {
  if (env.STATE_STORE !== 'azure' || env.AZURE_STORAGE_CONNECTION_STRING?.trim() || env.AZURE_STORAGE_ACCOUNT_URL?.trim()) return [];
  return ['AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL: required when STATE_STORE=azure (a connection string, or the blob endpoint reached with the managed identity)'];
}

/** The validated, frozen configuration. `mode` is derived: no app id means a local channel. */
export type Config = Readonly<z.infer<typeof configSchema> & { mode: 'local' | 'teams'; version: string }>;

/** Thrown when the environment is invalid; its message names every offending key. */
export class ConfigError extends Error {}

/** The environment without its blank keys: a `KEY=` line of .env.sample (copied to .env) means unset, as in the package step. */
export function withoutBlanks(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value?.trim()));
}

/** Reads and validates the environment once. Throws ConfigError naming every bad key. */
export function loadConfig(given: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  const env = withoutBlanks(given);
  const parsed = configSchema.safeParse(env);
  const issues = [
    ...(parsed.error?.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) ?? []),
    ...crossKeyIssues(env),
  ];
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
  }
  const mode = parsed.data.MicrosoftAppId ? 'teams' : 'local';
  // A local try-out without service hosts gets the embedded sandbox (the local entry starts it); SANDBOX_URL points
  // the bot at a sandbox running as its own process instead (several bot instances share it).
  const startSandbox = parsed.data.START_SANDBOX ?? (mode === 'local' && !parsed.data.SANDBOX_URL && !parsed.data.INTEGRATOR_BASE_URL);
  return Object.freeze({ ...parsed.data, START_SANDBOX: startSandbox, mode, version });
}
