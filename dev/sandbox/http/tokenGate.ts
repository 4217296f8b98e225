/** Why a request was refused, as the Power Platform services say it. */
export interface AuthFailure {
  code: 'NoToken' | 'ExpiredAuthenticationToken';
  message: string;
}

/** Accepts any non-empty bearer token except those a test declared expired. Tokens are never logged or stored on disk. */
export class TokenGate {
  private readonly expired = new Set<string>();

  /** The token of an Authorization header, if any. */
  static bearer(header: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match?.[1];
  }

  /** Treats this token as expired from now on. */
  expire(token: string): void {
    this.expired.add(token);
  }

  /** Undefined when the token is acceptable. */
  check(token: string | undefined): AuthFailure | undefined {
    if (!token) return { code: 'NoToken', message: 'The request has no bearer token' };
    if (this.expired.has(token)) return { code: 'ExpiredAuthenticationToken', message: 'The access token has expired' };
    return undefined;
  }
}
