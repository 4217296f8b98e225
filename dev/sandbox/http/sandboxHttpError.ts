import type { z } from 'zod';
import type { ValidationIssueWire } from '../wire/common';

/** An error answer of the sandbox: status, service error code, message, and validation issues. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly validationIssues: ValidationIssueWire[] = [],
  ) {
    super(message);
  }
}

/** 404 for a named thing. */
export const notFound = (what: string) => new SandboxHttpError(404, 'NotFound', `${what} was not found`);

/** 400 (or 409 for a clash) with the issues a form can show beside its fields. */
export function validationFailed(issues: ValidationIssueWire[], status = 400, code = 'ValidationFailed'): SandboxHttpError {
  const summary = issues.map((i) => i.message).join(' ');
  return new SandboxHttpError(status, code, summary || 'The request is not valid', issues);
}

/** 409 with one issue: the name is taken. */
export const nameTaken = (field: string, what: string, name: string) =>
  validationFailed([issue(field, `A ${what} named "${name}" already exists`)], 409, 'Conflict');

/** An error issue about one input field. */
export const issue = (field: string, message: string): ValidationIssueWire => ({ severity: 'Error', message, field });

/** Validates a request body like the service does: every problem comes back as a validation issue. */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationFailed(parsed.error.issues.map((i) => issue(i.path.join('.') || 'body', i.message)));
}
