import type { EntityMapping, FieldMapping } from '../integration/port';
import type { Said } from '../words/words';

/**
 * What the setup forms show, as plain data: the renderers in src/render turn each view into its
 * card. Names are as the person or the service wrote them; sentences are Said (message ids of the
 * catalogue), worded in the person's language and escaped for the card by the renderer.
 */

/** Field errors by input id, every input named (undefined: no error). */
export type FieldErrors<K extends string> = Record<K, Said | undefined>;

/** Step 1: the environments and connections found, and what is missing. */
export interface PrerequisitesView {
  flowId: string;
  title: Said;
  environments: Array<{ displayName: string; dynamics: Said; dataverse: Said }>;
  /** `connector`: what is lacking; `create`: the connector to pick in Power Apps today. */
  missing: Array<{ environment: string; connector: string; create: string; url: string }>;
  problem?: Said;
  ready: boolean;
}

/** A choice of a connection in an environment. */
export interface EndpointChoice { title: Said; value: string }

/** Step 2: reuse a connection set or describe a new one. */
export interface ConnectionSetView {
  flowId: string;
  mode: string;
  existingSets: Array<{ name: string; from: string; to: string }>;
  name: string;
  dynamicsChoices: EndpointChoice[];
  dataverseChoices: EndpointChoice[];
  dynamicsValue: string;
  dataverseValue: string;
  /**
   * What "Find" narrows the lists to ('' for none). Each list holds what is picked first, then those with this in their
   * name or their environment's, by name; the card shows as many as fit.
   */
  filter: string;
  /** How many of the lists' items the filter found (what is picked aside). */
  filterMatches: number;
  errors: FieldErrors<'mode' | 'name' | 'dynamics' | 'dataverse'>;
  problem?: Said;
}

/** Step 3: name, template with a preview of its mappings, organizations and consent. */
export interface ProjectView {
  flowId: string;
  name: string;
  /** The name suggested for the shown template: a name still equal to it follows the next template chosen. */
  suggestedName: string;
  /** The picked template first, then those whose name contains `templateFilter`, by name; the card shows as many as fit. */
  templates: Array<{ name: string; displayName: string }>;
  templateName: string;
  /** "Find a template" ('' for none), and how many templates it found (the picked one aside). */
  templateFilter: string;
  templateMatches: number;
  preview: {
    displayName: string;
    entityMappings: Array<EntityMapping & { keys: Said; fields: FieldMapping[] }>;
  };
  connectionSetName: string;
  dynamicsOrganization: string;
  dataverseOrganizationId: string;
  privacyNotice: Said;
  consent: string;
  errors: FieldErrors<'name' | 'template' | 'consent'>;
  problem?: Said;
}

/** Step 4: one summary and the button that creates it all (or continues, once created). */
export interface ReviewView {
  flowId: string;
  headline: Said;
  facts: Array<{ title: Said; value: Said }>;
  createTitle: Said;
  problem?: Said;
}

/** Step 5: run now or ask for a schedule. */
export interface RunOrScheduleView {
  flowId: string;
  projectName: string;
  intro: Said;
  /** A number, as Input.Number wants it; null when what was typed is not one (the field is then empty). */
  every: number | null;
  unit: string;
  units: readonly string[];
  errors: FieldErrors<'every'>;
  problem?: Said;
}

/** The service failed while a form was shown or submitted: say so and offer "Try again". */
export interface ServiceProblemView {
  flowId: string;
  step: string;
  title: Said;
  message: Said;
  /** The service refused the person's sign-in (expired or revoked): the card offers to sign in again. */
  signIn?: boolean;
}

/** The card the flow shows next. */
export type SetupView =
  | { form: 'prerequisites'; view: PrerequisitesView }
  | { form: 'connectionSet'; view: ConnectionSetView }
  | { form: 'project'; view: ProjectView }
  | { form: 'review'; view: ReviewView }
  | { form: 'runOrSchedule'; view: RunOrScheduleView }
  | { form: 'serviceProblem'; view: ServiceProblemView };
