/** The services behind the port, as named in errors and logs. */
export type ServiceName = 'bap' | 'powerapps' | 'dataverse' | 'integrator';

/** A problem with an input, as the service reports it; `field` names the input property (e.g. `consent`). */
export interface ValidationIssue {
  severity: 'error' | 'warning' | 'info';
  message: string;
  field?: string;
}

/** What went wrong, in terms the bot can act on. */
export type DataIntegrationErrorCode =
  | 'validation'
  | 'conflict'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'throttled'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'malformed_response'
  | 'refused_address'
  | 'no_token'
  | 'no_dataverse'
  | 'http_error';

/**
 * Whose token a call carried: the person's (their sign-in) or the bot's own identity's (Teams mode: BAP, Power Apps
 * and Dataverse). A refusal of the bot's identity is an admin's to fix; signing in again cannot help.
 */
export type TokenHolder = 'person' | 'bot';

/** The codes of a call whose token was missing or refused: whose token it was decides what to say. */
export const ACCESS_REFUSED: ReadonlySet<DataIntegrationErrorCode> = new Set(['unauthorized', 'forbidden', 'no_token']);

/** Fields of a DataIntegrationError besides its message. */
export interface DataIntegrationErrorDetails {
  service: ServiceName;
  code: DataIntegrationErrorCode;
  status?: number;
  retryable?: boolean;
  /** The service's own error code, e.g. `ScheduledProjectLimitReached`. */
  serviceCode?: string;
  retryAfterMs?: number;
  validationIssues?: ValidationIssue[];
  /** Whose token the call carried, where the token provider says (absent in local mode). */
  tokenOf?: TokenHolder;
  /** A write that failed after the service may have received it (a 5xx, a reset): it may have been carried out. */
  mayHaveActed?: boolean;
  cause?: unknown;
}

/** The one error the port rejects with. It never carries a token or a request header. */
export class DataIntegrationError extends Error {
  override readonly name = 'DataIntegrationError';
  readonly service: ServiceName;
  readonly code: DataIntegrationErrorCode;
  /** HTTP status, absent for time-outs, network faults and token failures. */
  readonly status?: number;
  /** True when trying again later may succeed (throttling, 5xx, time-out, network). */
  readonly retryable: boolean;
  readonly serviceCode?: string;
  /** How long the service asked us to wait (429 / 503 Retry-After). */
  readonly retryAfterMs?: number;
  /** Issues the bot can show next to form fields; empty unless the service reported some. */
  readonly validationIssues: ValidationIssue[];
  readonly tokenOf?: TokenHolder;
  /** A write that failed after the service may have received it: the person checks before trying again. */
  readonly mayHaveActed: boolean;

  constructor(message: string, details: DataIntegrationErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.service = details.service;
    this.code = details.code;
    this.status = details.status;
    this.retryable = details.retryable ?? false;
    this.serviceCode = details.serviceCode;
    this.retryAfterMs = details.retryAfterMs;
    this.validationIssues = details.validationIssues ?? [];
    this.tokenOf = details.tokenOf;
    this.mayHaveActed = details.mayHaveActed ?? false;
  }

  /** The same error, saying whose token the refused call carried. */
  carrying(tokenOf: TokenHolder | undefined): DataIntegrationError {
    return tokenOf === undefined || tokenOf === this.tokenOf ? this : this.with({ tokenOf });
  }

  /** The same error, saying the write may have been carried out although it failed. */
  maybeActed(): DataIntegrationError {
    return this.mayHaveActed ? this : this.with({ mayHaveActed: true });
  }

  private with(change: Pick<DataIntegrationErrorDetails, 'tokenOf' | 'mayHaveActed'>): DataIntegrationError {
    const { service, code, status, retryable, serviceCode, retryAfterMs, validationIssues, tokenOf, mayHaveActed, cause } = this;
    return new DataIntegrationError(this.message, { service, code, status, retryable, serviceCode, retryAfterMs, validationIssues, tokenOf, mayHaveActed, cause, ...change });
  }
}

/** True for a DataIntegrationError with the given code. */
export function isDataIntegrationError(e: unknown, code?: DataIntegrationErrorCode): e is DataIntegrationError {
  return e instanceof DataIntegrationError && (code === undefined || e.code === code);
}
