import { z } from 'zod';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A blank value counts as unset, as in an .env file with `KEY=`. */
function unsetIfBlank<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema);
}

/** An unset key reads "is required" (where the key is required), any other problem `invalid`. */
function message(invalid: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : invalid) };
}

const guid = (invalid: string) => z.guid(message(invalid));
const httpsUrl = z.url({ protocol: /^https$/, ...message('must be an https:// URL') });
const hostName = z
  .string(message('must be text'))
  .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i, 'must be a host name such as mybot.azurewebsites.net (no https://, port or path)');

/** Every environment key the package step reads. */
export const packageEnvSchema = z.object({
  MicrosoftAppId: unsetIfBlank(guid("must be a GUID: the bot's Microsoft App ID")),
  TEAMS_APP_ID: unsetIfBlank(guid('must be a GUID').optional()),
  SSO_APP_ID: unsetIfBlank(guid('must be a GUID: the client id of the OAuth connection\'s app registration').optional()),
  BOT_DOMAIN: unsetIfBlank(hostName),
  APP_VERSION: unsetIfBlank(z.string(message('must be text')).regex(/^\d+\.\d+\.\d+$/, 'must be MAJOR.MINOR.PATCH, e.g. 1.0.0')),
  DEVELOPER_NAME: unsetIfBlank(z.string().max(32, 'must be at most 32 characters').default('Data Integration bot team')),
  DEVELOPER_WEBSITE_URL: unsetIfBlank(httpsUrl.optional()),
  DEVELOPER_PRIVACY_URL: unsetIfBlank(httpsUrl.optional()),
  DEVELOPER_TERMS_URL: unsetIfBlank(httpsUrl.optional()),
});

/** The placeholder values of manifest.template.json, each `${{KEY}}` there. */
export type TemplateValues = Readonly<Record<string, string>>;

export type EnvResult = { ok: true; values: TemplateValues } | { ok: false; errors: string[] };

/** Validates the env (APP_VERSION defaults to `packageVersion`) and derives the template values. */
export function parsePackageEnv(env: NodeJS.ProcessEnv, packageVersion: string): EnvResult {
  const parsed = packageEnvSchema.safeParse({ ...env, APP_VERSION: env.APP_VERSION?.trim() || packageVersion });
  if (!parsed.success) {
    const keys = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    return { ok: false, errors: [`environment: ${keys.join('; ')}`] };
  }
  const e = parsed.data;
  const website = e.DEVELOPER_WEBSITE_URL ?? `https://${e.BOT_DOMAIN}`;
  return {
    ok: true,
    values: {
      BOT_ID: e.MicrosoftAppId,
      // The bot id is a stable GUID we already have; a separate app id is only needed to list two apps for one bot.
      TEAMS_APP_ID: e.TEAMS_APP_ID ?? e.MicrosoftAppId,
      // A managed-identity bot cannot expose an API: Teams SSO then asks for a token of the OAuth connection's app.
      SSO_APP_ID: e.SSO_APP_ID ?? e.MicrosoftAppId,
      BOT_DOMAIN: e.BOT_DOMAIN,
      APP_VERSION: e.APP_VERSION,
      DEVELOPER_NAME: e.DEVELOPER_NAME,
      DEVELOPER_WEBSITE_URL: website,
      DEVELOPER_PRIVACY_URL: e.DEVELOPER_PRIVACY_URL ?? `${website.replace(/\/$/, '')}/privacy`,
      DEVELOPER_TERMS_URL: e.DEVELOPER_TERMS_URL ?? `${website.replace(/\/$/, '')}/terms`,
    },
  };
}
