import type { EntityMapping, FieldMapping } from '../integration/port';

/**
 * What the setup forms show, as plain data: the renderers in src/render turn each view into its
 * card. Text is as the person or the service wrote it; escaping for the card is the renderer's job.
 */

/** Field errors by input id (empty string: no error), so that a template can test `!= ''`. */
export type FieldErrors<K extends string> = Record<K, string>;

/** Step 1: the environments and connections found, and what is missing. */
export interface PrerequisitesView {
  flowId: string;
  title: string;
  environments: Array<{ displayName: string; dynamics: string; dataverse: string }>;
  /** `connector`: what is lacking; `create`: the connector to pick in Power Apps today. */
  missing: Array<{ environment: string; connector: string; create: string; url: string }>;
  problem: string;
  ready: boolean;
}

/** A choice of a connection in an environment. */
export interface EndpointChoice { title: string; value: string }

/** Step 2: reuse a connection set or describe a new one. */
export interface ConnectionSetView {
  flowId: string;
  mode: string;
  existingSets: Array<{ name: string; summary: string }>;
  name: string;
  dynamicsChoices: EndpointChoice[];
  dataverseChoices: EndpointChoice[];
  dynamicsValue: string;
  dataverseValue: string;
  errors: FieldErrors<'mode' | 'name' | 'dynamics' | 'dataverse'>;
  problem: string;
}

/** Step 3: name, template with a preview of its mappings, organizations and consent. */
export interface ProjectView {
  flowId: string;
  name: string;
  /** The name suggested for the shown template: a name still equal to it follows the next template chosen. */
  suggestedName: string;
  templates: Array<{ name: string; displayName: string }>;
  templateName: string;
  preview: {
    displayName: string;
    entityMappings: Array<EntityMapping & { keys: string; fields: FieldMapping[] }>;
  };
  connectionSetName: string;
  dynamicsOrganization: string;
  dataverseOrganizationId: string;
  privacyNotice: string;
  consent: string;
  errors: FieldErrors<'name' | 'template' | 'consent'>;
  problem: string;
}

/** Step 4: one summary and the button that creates it all (or continues, once created). */
export interface ReviewView {
  flowId: string;
  headline: string;
  facts: Array<{ title: string; value: string }>;
  createTitle: string;
  problem: string;
}

/** Step 5: run now or ask for a schedule. */
export interface RunOrScheduleView {
  flowId: string;
  projectName: string;
  intro: string;
  /** A number, as Input.Number wants it; null when what was typed is not one (the field is then empty). */
  every: number | null;
  unit: string;
  units: readonly string[];
  errors: FieldErrors<'every'>;
  problem: string;
}

/** The service failed while a form was shown or submitted: say so and offer "Try again". */
export interface ServiceProblemView {
  flowId: string;
  step: string;
  title: string;
  message: string;
}

/** The card the flow shows next. */
export type SetupView =
  | { form: 'prerequisites'; view: PrerequisitesView }
  | { form: 'connectionSet'; view: ConnectionSetView }
  | { form: 'project'; view: ProjectView }
  | { form: 'review'; view: ReviewView }
  | { form: 'runOrSchedule'; view: RunOrScheduleView }
  | { form: 'serviceProblem'; view: ServiceProblemView };
