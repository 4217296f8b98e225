/**
 * Messages the same in every language: HTTP answers to callers (the Bot Connector, a browser, a probe: no person
 * in Teams reads them) and durations in SI unit symbols (the number in them is formatted for the language).
 */
export const SHARED = {
  'error.http.unauthorized': 'Unauthorized',
  'error.http.keysUnavailable': 'Service unavailable: the Bot Framework signing keys cannot be fetched right now',
  'error.http.internal': 'Internal error',
  'http.token.notJwt': 'not a signed JWT bearer token',
  'http.token.notJson': 'the token header or payload is not JSON',
  'http.token.algorithm': 'signing algorithm {alg} is not accepted',
  'http.token.noKey': 'the token names no signing key',
  'http.token.issuer': 'the token is not issued by the Bot Framework',
  'http.token.audience': 'the token is for another app',
  'http.token.expired': 'the token has expired',
  'http.token.notYet': 'the token is not valid yet',
  'http.unauthorizedWhy': 'Unauthorized: {why}',
  'http.tokenRequired': 'Unauthorized: a Bot Framework token is required',
  'http.notActivity': 'Not a valid activity: {fields}',
  'http.otherSite': 'Forbidden: requests from other web sites are refused',
  'http.mediaType': 'Unsupported media type: send application/json',
  'http.encoding': 'Unsupported content encoding: send the JSON uncompressed',
  'http.noSender': 'Not a valid activity: from.id (who sent it) is missing',
  'http.localOnly': 'Forbidden: in local mode the bot replies only to a serviceUrl on this machine',
  'http.otherTenant': 'Forbidden: this bot answers only its own Microsoft Entra tenant',
  'duration.tenths': '{s, number, ::.0} s',
  'duration.seconds': '{s} s',
  'duration.minutes': '{m} min',
  'duration.minutesSeconds': '{m} min {s} s',
  'duration.hours': '{h} h',
  'duration.hoursMinutes': '{h} h {m} min',
} as const;
