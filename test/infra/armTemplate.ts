import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build';

/** The parts of an ARM template the checks read. */
export interface ArmResource { type: string; name: string; apiVersion: string; dependsOn?: string[]; properties?: Record<string, unknown>; [key: string]: unknown }
export interface ArmTemplate {
  parameters: Record<string, { type: string; defaultValue?: unknown; allowedValues?: unknown[] }>;
  variables: Record<string, unknown>;
  resources: ArmResource[];
  outputs: Record<string, { type: string; value: string }>;
}

/** Reads a JSON file of the project. */
export function readJson<T>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8')) as T;
}

/** Every string in a JSON value, with the path that leads to it. */
export function strings(node: unknown, at = '$'): Array<{ at: string; value: string }> {
  if (typeof node === 'string') return [{ at, value: node }];
  if (Array.isArray(node)) return node.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => [...strings(k, `${at}.<key>`), ...strings(v, `${at}.${k}`)]);
  return [];
}

/** The ARM expressions of a template: strings in square brackets (`[[` escapes a literal bracket). */
export function expressions(node: unknown): Array<{ at: string; value: string }> {
  return strings(node).filter((s) => s.value.startsWith('[') && !s.value.startsWith('[[') && s.value.endsWith(']'));
}

/** The names an expression passes to `fn('name')`, e.g. parameters('x') or variables('y'). */
export function namedCalls(expression: string, fn: 'parameters' | 'variables'): string[] {
  return [...expression.matchAll(new RegExp(`\\b${fn}\\('([^']+)'\\)`, 'g'))].map((m) => m[1]);
}

/** Each resourceId('Type', nameExpression) in an expression (not subscriptionResourceId: built-ins live outside the template). */
export function resourceIds(expression: string): Array<{ type: string; name: string }> {
  return [...expression.matchAll(/(?<![A-Za-z])resourceId\('([^']+)',\s*((?:variables|parameters)\('[^']+'\))\)/g)].map((m) => ({ type: m[1], name: m[2] }));
}

/** The resource of the template a resourceId points at, if it declares one. */
export function declared(template: ArmTemplate, ref: { type: string; name: string }): ArmResource | undefined {
  return template.resources.find((r) => r.type.toLowerCase() === ref.type.toLowerCase() && r.name === `[${ref.name}]`);
}
