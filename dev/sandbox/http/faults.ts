import { z } from 'zod';
import type { RouteName } from '../wire/routes';

/** A fault to inject: on matching requests, wait, expire the caller's token, and/or answer with a status or a body. */
export interface FaultSpec {
  /** A route name of the table (e.g. `listProjects`), a piece of the path, or a pattern of the path. */
  route: string | RegExp;
  method?: string;
  /** e.g. 429, 500, 503. */
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** Answer 401 and treat the presented token as expired from now on. */
  expiredToken?: boolean;
  /** Answer 200 with this body instead of the real one (a malformed response). */
  body?: unknown;
  /** How many requests the fault hits; every matching one when absent. */
  times?: number;
}

/** The admin route's body: like FaultSpec, with `routePattern` for a regular expression. */
export const adminFaultSchema = z
  .object({
    route: z.string().min(1).optional(),
    routePattern: z.string().min(1).optional(),
    method: z.string().optional(),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().min(0).optional(),
    delayMs: z.number().int().min(0).max(300_000).optional(),
    expiredToken: z.boolean().optional(),
    body: z.unknown().optional(),
    times: z.number().int().min(1).optional(),
  })
  .refine((f) => Boolean(f.route) !== Boolean(f.routePattern), { message: 'give either route or routePattern' });

/** Converts the admin route's body into a FaultSpec. */
export function faultFromAdmin({ route, routePattern, ...rest }: z.infer<typeof adminFaultSchema>): FaultSpec {
  return { ...rest, route: routePattern ? new RegExp(routePattern) : (route ?? '') };
}

/** A live view of an injected fault: how many requests it has hit so far. */
export interface FaultHandle {
  readonly hits: number;
}

/** Faults injected by tests, matched in the order they were added; none by default. */
export class FaultInjector {
  private faults: { spec: FaultSpec; remaining: number; hits: number }[] = [];

  /** Adds a fault. */
  inject(spec: FaultSpec): FaultHandle {
    const fault = { spec, remaining: spec.times ?? Number.POSITIVE_INFINITY, hits: 0 };
    this.faults.push(fault);
    return { get hits() { return fault.hits; } };
  }

  /** Removes every fault. */
  clear(): void {
    this.faults = [];
  }

  /** The faults still active. */
  list(): FaultSpec[] {
    return this.faults.map((f) => f.spec);
  }

  /** The first fault matching this request, counting it as used. */
  take(routeName: RouteName, method: string, path: string): FaultSpec | undefined {
    const hit = this.faults.find(({ spec }) => {
      if (spec.method && spec.method.toUpperCase() !== method) return false;
      if (spec.route instanceof RegExp) return spec.route.test(path);
      return spec.route === routeName || path.includes(spec.route);
    });
    if (!hit) return undefined;
    hit.remaining -= 1;
    hit.hits += 1;
    if (hit.remaining <= 0) this.faults = this.faults.filter((f) => f !== hit);
    return hit.spec;
  }
}
