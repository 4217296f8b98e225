import type { TemplateRecord } from '../model';

const same = (...fields: string[]) => fields.map((f) => ({ sourceField: f, destinationField: f }));

/** The built-in templates; the first is the one the setup guide uses. */
export const SEED_TEMPLATES: readonly TemplateRecord[] = [
  {
    id: 'c1a0e6f2-3b4d-4e5f-8a9b-0c1d2e3f4a51',
    name: 'Accounts (Sales to CDS)',
    description: 'Copies accounts from Dynamics 365 for Sales to Common Data Service, keyed by account number.',
    entityMappings: [
      {
        sourceEntity: 'account',
        destinationEntity: 'account',
        fieldMappings: same(
          'name', 'accountnumber', 'telephone1', 'emailaddress1', 'websiteurl', 'address1_line1',
          'address1_city', 'address1_postalcode', 'address1_country', 'numberofemployees', 'revenue',
        ),
        integrationKey: ['accountnumber'],
      },
    ],
  },
  {
    id: 'c1a0e6f2-3b4d-4e5f-8a9b-0c1d2e3f4a52',
    name: 'Contacts (Sales to CDS)',
    description: 'Copies contacts from Dynamics 365 for Sales to Common Data Service, keyed by e-mail address.',
    entityMappings: [
      {
        sourceEntity: 'contact',
        destinationEntity: 'contact',
        fieldMappings: same('firstname', 'lastname', 'emailaddress1', 'telephone1', 'jobtitle', 'address1_city'),
        integrationKey: ['emailaddress1'],
      },
    ],
  },
  {
    id: 'c1a0e6f2-3b4d-4e5f-8a9b-0c1d2e3f4a53',
    name: 'Products (Sales to CDS)',
    description: 'Copies products from Dynamics 365 for Sales to Common Data Service, keyed by product number.',
    entityMappings: [
      {
        sourceEntity: 'product',
        destinationEntity: 'product',
        fieldMappings: same('name', 'productnumber', 'description', 'price', 'quantitydecimal'),
        integrationKey: ['productnumber'],
      },
    ],
  },
];
