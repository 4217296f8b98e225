/** A problem the service found in a request, pointing at the input field it concerns. */
export interface ValidationIssueWire {
  /** `Error`, `Warning` or `Information`. */
  severity: 'Error' | 'Warning' | 'Information';
  message: string;
  field?: string;
}

/** Every error answer: the ARM-style `error` object, and the validation issues when there are any. */
export interface ServiceErrorWire {
  error: { code: string; message: string };
  validationIssues?: ValidationIssueWire[];
}

/** What every stored document of the Data Integrator (project, connection set) starts with. */
export interface DocumentWire {
  id: string;
  name: string;
  displayName: string;
  owner: string;
  createdDateTime: string;
  tenant: string;
}
