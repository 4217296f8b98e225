import type { z } from 'zod';
import { DataIntegrationError, type DataIntegrationErrorCode, type ServiceName } from '../errors';
import { serviceErrorWireSchema, toValidationIssue } from '../wire/common';

/** Names of the services as a person reads them in a message. */
export const SERVICE_LABELS: Readonly<Record<ServiceName, string>> = {
  bap: 'Power Platform admin (BAP)',
  powerapps: 'Power Apps',
  dataverse: 'Dataverse',
  integrator: 'Data Integrator',
};

const CODE_BY_STATUS: Readonly<Record<number, DataIntegrationErrorCode>> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'validation',
  429: 'throttled',
};

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseErrorBody(text: string): z.infer<typeof serviceErrorWireSchema> {
  try {
    const parsed = serviceErrorWireSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Turns a non-2xx answer into a DataIntegrationError carrying the service's message and issues. */
export function errorFromResponse(
  service: ServiceName,
  status: number,
  retryAfterHeader: string | null,
  bodyText: string,
): DataIntegrationError {
  const body = parseErrorBody(bodyText);
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'http_error');
  const detail = body.error?.message ?? body.message ?? `HTTP ${status}`;
  return new DataIntegrationError(`${SERVICE_LABELS[service]} answered ${status}: ${detail}`, {
    service,
    code,
    status,
    retryable: status === 429 || status >= 500,
    serviceCode: body.error?.code ?? undefined,
    retryAfterMs: retryAfterMs(retryAfterHeader),
    validationIssues: (body.validationIssues ?? []).map(toValidationIssue),
  });
}

/** Parses a response body with its schema; a mismatch names the service, the route and the field. */
export function parseResponse<T>(service: ServiceName, what: string, schema: z.ZodType<T>, text: string): T {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch (cause) {
    throw malformed(service, `${what}: the body is not JSON`, cause);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '(body)';
  throw malformed(service, `${what}: field ${field}: ${issue?.message ?? 'invalid'}`, parsed.error);
}

function malformed(service: ServiceName, detail: string, cause: unknown): DataIntegrationError {
  return new DataIntegrationError(`Unexpected answer from ${SERVICE_LABELS[service]} (${detail})`, {
    service,
    code: 'malformed_response',
    cause,
  });
}
