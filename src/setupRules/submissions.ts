import { z } from 'zod';
import { RECURRENCE_UNITS } from '../integration/port';

const text = (max: number) => z.string().max(max).optional().transform((v) => v?.trim() ?? '');

/** Inputs of the connection set form. */
export const connectionSetInputsSchema = z.object({
  mode: text(200),
  name: text(200),
  dynamics: text(400),
  dataverse: text(400),
  /** "Find": part of a name, to narrow the card's lists. */
  filter: text(100),
});

/** Inputs of the project form. */
export const projectInputsSchema = z.object({
  name: text(200),
  template: text(200),
  /** "Find a template": part of a name, to narrow the list. */
  templateFilter: text(100),
  consent: z.enum(['true', 'false']).optional(),
});

/** Inputs of the run-or-schedule form. */
export const scheduleInputsSchema = z.object({
  every: z.union([z.string(), z.number()]).optional(),
  unit: z.enum(RECURRENCE_UNITS).optional(),
});

/** A ChoiceSet value naming a connection and its environment. */
export function endpointValue(connectionName: string, environmentName: string): string {
  return `${connectionName}|${environmentName}`;
}

/** The reverse of endpointValue; undefined for anything else. */
export function parseEndpointValue(value: string): { connectionName: string; environmentName: string } | undefined {
  const [connectionName, environmentName, extra] = value.split('|');
  return connectionName && environmentName && extra === undefined ? { connectionName, environmentName } : undefined;
}
