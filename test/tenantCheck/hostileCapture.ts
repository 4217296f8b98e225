import type { Har } from '../../tools/tenantCheck/har';

type Entry = Har['log']['entries'][number];

const b64url = (text: string) => Buffer.from(text).toString('base64url');
/** A JWT whose header is not the usual `eyJ…` (a space after the brace), and one whose header is `{}`. */
const spacedJwt = (payload: string, sig: string) => `${b64url('{ "alg": "RS256", "typ": "JWT" }')}.${b64url(payload)}.${sig}`;

/**
 * What the capture plants, each a string that must appear in no output or file (case-insensitive).
 * E-mail addresses are planted by their two halves, so neither may survive on its own.
 */
export const PLANTED = {
  refreshTokenDeep: 'planted-refresh-token-deep-41',
  refreshTokenPascal: 'planted-refresh-pascal-42',
  idToken: 'planted-id-token-43',
  clientSecret: 'planted-client-secret-44',
  apiKey: 'planted-api-key-45',
  password: 'planted-password-46',
  credentialInArray: 'planted-credential-47',
  assertion: 'planted-assertion-48',
  jsonInString: 'planted-json-in-string-49',
  jsonInJsonInString: 'planted-json-twice-50',
  base64Body: 'planted-base64-body-51',
  base64Value: 'planted-base64-value-52',
  sasSig: 'plantedSasSig53Zm9v',
  sasToken: 'planted-sas-token-54',
  accountKey: 'plantedAccountKey55Zm9vYmFy',
  jwtPayloadClaim: 'planted-jwt-claim-56',
  jwtSig: 'plantedJwtSignature57',
  emptyHeaderJwtSig: 'plantedEmptyHeaderJwt58',
  errorSig: 'plantedErrorSig59',
  errorKey: 'plantedErrorAccountKey60',
  errorJwtSig: 'plantedErrorJwtSig61',
  formSecret: 'planted-form-secret-62',
  querySig: 'planted-query-sig-63',
  headerKey: 'planted-header-key-64',
  cookie: 'planted-cookie-65',
  setCookie: 'planted-set-cookie-66',
  bearer: 'plantedBearerSig67',
  idnLocal: 'plantedidnperson68',
  idnDomain: 'müller-planted-gmbh',
  pctLocal: 'plantedpctperson69',
  pctDomain: 'pct-planted-contoso',
  entityLocal: 'plantedentityperson70',
  errorMailLocal: 'plantederrorperson71',
  errorMailDomain: 'error-planted-idn-ümlaut',
  pathSignature: 'plantedPathSignature',
} as const;

const P = PLANTED;
/** The Data Integrator's host in the capture. */
export const INTEGRATOR = 'https://projectmanagementservice.eu-il101.gateway.prod.island.powerapps.com/';
const JWT = spacedJwt(JSON.stringify({ aud: 'https://IntegratorApp.com', claim: P.jwtPayloadClaim }), P.bearer);

/** One call of a capture, with the portal's headers (bearer token, cookie, an API key) and a set-cookie back. */
export function entry(method: string, url: string, status: number, response: string | undefined, options: { request?: string; base64?: boolean } = {}): Entry {
  return {
    request: {
      method, url,
      headers: [{ name: 'Authorization', value: `Bearer ${JWT}` }, { name: 'Cookie', value: `.AspNetCore.Session=${P.cookie}` }, { name: 'x-api-key', value: P.headerKey }],
      ...(options.request === undefined ? {} : { postData: { text: options.request } }),
    },
    response: {
      status, headers: [{ name: 'Set-Cookie', value: `x-ms-session=${P.setCookie}; HttpOnly` }],
      content: response === undefined ? {} : options.base64 ? { text: Buffer.from(response).toString('base64'), encoding: 'base64' } : { text: response },
    },
  };
}

/** Each form a secret takes in a capture: keys of any case at any depth, JSON and base64 in strings and bodies, SAS, connection strings, JWTs without `eyJ`, e-mails in any encoding. */
export function secretEntries(): Entry[] {
  const deep = { level1: { level2: { level3: [{ refreshToken: P.refreshTokenDeep, RefreshToken: P.refreshTokenPascal, idToken: P.idToken }] } } };
  const response = {
    ...deep, clientSecret: P.clientSecret, apiKey: P.apiKey, Password: P.password, credentials: [P.credentialInArray], client_assertion: P.assertion,
    state: JSON.stringify({ refresh_token: P.jsonInString, inner: JSON.stringify({ client_secret: P.jsonInJsonInString }) }),
    blob: Buffer.from(JSON.stringify({ password: P.base64Value })).toString('base64'),
    download: `https://acct.blob.core.windows.net/c/b.json?sv=2022-11-02&sr=b&sig=${P.sasSig}&se=2026-12-31`, sasToken: P.sasToken,
    storage: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${P.accountKey};EndpointSuffix=core.windows.net`,
    note: `issued ${spacedJwt('{"sub":"x"}', P.jwtSig)} and e30.${b64url('{"sub":"y"}')}.${P.emptyHeaderJwtSig}`,
    contact: `${P.idnLocal}@${P.idnDomain}.example`, link: `https://x.example/?mail=${P.pctLocal}%40${P.pctDomain}.example`, html: `${P.entityLocal}&#64;contoso.example`,
  };
  const error = { error: { code: 'BadRequest', message: `token e30.${b64url('{"a":1}')}.${P.errorJwtSig} at https://a.blob.core.windows.net/x?sig=${P.errorSig} with AccountKey=${P.errorKey}; ask ${P.errorMailLocal}%40${P.errorMailDomain}.example` } };
  return [
    // Candidates (renamed routes): their bodies are written to recordings/.
    entry('POST', `${INTEGRATOR}api/Connect/AccSync?code=0.AXoA-${P.querySig}&sig=${P.querySig}`, 200, JSON.stringify(response), { request: JSON.stringify(response) }),
    entry('GET', `${INTEGRATOR}api/Base64/AccSync`, 200, JSON.stringify({ accessToken: P.base64Body, mail: `${P.pctLocal}@${P.pctDomain}.example` }), { base64: true }),
    entry('POST', `${INTEGRATOR}api/Token`, 200, '{}', { request: `grant_type=refresh_token&refresh_token=${P.formSecret}&client_secret=${P.formSecret}` }),
    // A renamed runProject whose path holds a signature: what the override file proposes must not carry it.
    entry('POST', `${INTEGRATOR}api/Runs/AccSync/sig=${P.pathSignature}`, 200, JSON.stringify({ id: '92', projectName: 'AccSync', submittedOn: '2026-12-01T09:00:00Z', executionStatus: 'QUEUED', upsertCount: 0, errorCount: 0 })),
    // A route of ours answering with an error message full of secrets: the message reaches the report.
    entry('GET', `${INTEGRATOR}api/ProjectSummary`, 400, JSON.stringify(error)),
  ];
}

/** Calls that must not stop the run: a method that walks out of --out, escape sequences, a body 10,000 levels deep. */
export function hostileEntries(): Entry[] {
  return [
    entry('get/../../../escaped', `${INTEGRATOR}api/Escape/One`, 200, '{"ok":true}'),
    entry('\u001b[2J\u001b[31mGET', `${INTEGRATOR}api/Escape/Two`, 200, '{"ok":true}'),
    entry('GET', `${INTEGRATOR}api/Deep/One`, 200, `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
    entry('POST', `${INTEGRATOR}api/Deep/Two`, 200, '{}', { request: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` }),
    entry('GET', `${INTEGRATOR}api/Control/\u001b]0;owned\u0007x`, 200, '{}'),
    entry('GET', `${INTEGRATOR}api/Template`, 500, JSON.stringify({ error: { message: 'bell\u0007 and \u001b[31mred\u001b[0m and\r\nFORGED: a line of its own' } })),
  ];
}

/** A HAR file's content with the given entries. */
export const harOf = (entries: Entry[]): string => JSON.stringify({ log: { version: '1.2', creator: { name: 'hostileCapture', version: '1' }, entries } });

/** The planted strings found in a text (lower case compared), by name. */
export const leaksIn = (text: string): string[] =>
  Object.entries(PLANTED).filter(([, secret]) => text.toLowerCase().includes(secret.toLowerCase())).map(([name]) => name);
