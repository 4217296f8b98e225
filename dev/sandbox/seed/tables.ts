/** A destination column's rule, as Dataverse enforces it on import. */
export type ColumnRule =
  | { type: 'text'; maxLength: number; required?: boolean }
  | { type: 'email'; maxLength: number; required?: boolean }
  | { type: 'integer'; min: number; max: number; required?: boolean }
  | { type: 'money'; min: number; max: number; required?: boolean };

/** The columns of a Dataverse table that the templates write to. */
export type TableSpec = Readonly<Record<string, ColumnRule>>;

const text = (maxLength: number, required = false): ColumnRule => ({ type: 'text', maxLength, required });

/** The Dataverse tables known to the sandbox, with the limits of the real columns. */
export const TABLES: Readonly<Record<string, TableSpec>> = {
  account: {
    name: text(160, true),
    accountnumber: text(20),
    telephone1: text(50),
    emailaddress1: { type: 'email', maxLength: 100 },
    websiteurl: text(200),
    address1_line1: text(250),
    address1_city: text(80),
    address1_postalcode: text(20),
    address1_country: text(80),
    numberofemployees: { type: 'integer', min: 0, max: 1_000_000_000 },
    revenue: { type: 'money', min: 0, max: 100_000_000_000_000 },
  },
  contact: {
    firstname: text(50),
    lastname: text(50, true),
    emailaddress1: { type: 'email', maxLength: 100 },
    telephone1: text(50),
    jobtitle: text(100),
    address1_city: text(80),
  },
  product: {
    name: text(100, true),
    productnumber: text(100, true),
    description: text(2000),
    price: { type: 'money', min: 0, max: 1_000_000_000_000 },
    quantitydecimal: { type: 'integer', min: 0, max: 5 },
  },
};
