/** A row of a Dataverse table: its record id and its column values. */
export interface SourceRow {
  recordId: string;
  data: Record<string, string | number>;
}

/** A small deterministic generator (mulberry32), so that every fresh sandbox has the same rows. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex8 = (next: () => number) => Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');

const guid = (next: () => number) => {
  const [a, b, c, d] = [hex8(next), hex8(next), hex8(next), hex8(next)];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
};

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const COMPANIES = [
  'A. Datum', 'Adventure Works', 'Alpine Ski House', 'Blue Yonder', 'Coho Winery', 'Fabrikam', 'Fourth Coffee',
  'Litware', 'Lucerne Publishing', 'Margie\'s Travel', 'Northwind', 'Proseware', 'Relecloud', 'Southridge Video',
  'Tailspin Toys', 'Trey Research', 'Wide World Importers', 'Wingtip Toys', 'Woodgrove Bank', 'Humongous Insurance',
];
const KINDS = ['Consulting', 'Logistics', 'Systems', 'Traders', 'Manufacturing', 'Retail', 'Services', 'Labs'];
const CITIES = [
  ['Seattle', '98101', 'United States'], ['Redmond', '98052', 'United States'], ['London', 'EC1A 1BB', 'United Kingdom'],
  ['Paris', '75001', 'France'], ['Munich', '80331', 'Germany'], ['Toronto', 'M5H 2N2', 'Canada'],
  ['Sydney', '2000', 'Australia'], ['Amsterdam', '1012 JS', 'Netherlands'],
] as const;
const PRODUCTS = ['Surface', 'Xbox', 'HoloLens', 'Keyboard', 'Mouse', 'Dock'];
const EDITIONS = ['Pro', 'Go', 'Studio', 'Plus'];
const FIRST_NAMES = ['Adele', 'Alex', 'Diego', 'Grady', 'Isaiah', 'Johanna', 'Lee', 'Lidia', 'Lynne', 'Miriam', 'Nestor', 'Pradeep'];
const LAST_NAMES = ['Vance', 'Wilber', 'Siciliani', 'Archie', 'Langer', 'Lauridsen', 'Gu', 'Holloway', 'Robbins', 'Graham'];

/** Source accounts; every 250th (from 17) has a name too long for Dataverse, every 400th (from 123) none. */
export function* generateAccounts(count: number): Generator<SourceRow> {
  const next = random(2017);
  for (let i = 0; i < count; i += 1) {
    const [city, postalCode, country] = pick(next, CITIES);
    const company = `${pick(next, COMPANIES)} ${pick(next, KINDS)}`;
    const data: Record<string, string | number> = {
      name: `${company} (${city})`,
      accountnumber: `ACC-${String(i + 1).padStart(6, '0')}`,
      telephone1: `+1 555 ${String(1000 + Math.floor(next() * 9000))}`,
      emailaddress1: `info${i + 1}@${company.toLowerCase().replace(/[^a-z]/g, '')}.example.com`,
      websiteurl: `https://www.${company.toLowerCase().replace(/[^a-z]/g, '')}.example.com`,
      address1_line1: `${1 + Math.floor(next() * 999)} Main Street`,
      address1_city: city,
      address1_postalcode: postalCode,
      address1_country: country,
      numberofemployees: Math.floor(next() * 5000),
      revenue: Math.round(next() * 50_000_000),
    };
    if (i % 250 === 17) data.name = `${company} International Holdings and Subsidiaries `.repeat(5).slice(0, 200);
    if (i % 400 === 123) delete data.name;
    yield { recordId: guid(next), data };
  }
}

/** Source contacts; every 150th (from 42) lacks the required last name. */
export function* generateContacts(count: number): Generator<SourceRow> {
  const next = random(4242);
  for (let i = 0; i < count; i += 1) {
    const firstname = pick(next, FIRST_NAMES);
    const lastname = pick(next, LAST_NAMES);
    const data: Record<string, string | number> = {
      firstname,
      lastname,
      emailaddress1: `${firstname}.${lastname}.${i + 1}@contoso.example.com`.toLowerCase(),
      telephone1: `+1 555 ${String(1000 + Math.floor(next() * 9000))}`,
      jobtitle: pick(next, ['Buyer', 'Purchasing Manager', 'CFO', 'Office Manager', 'IT Director']),
      address1_city: pick(next, CITIES)[0],
    };
    if (i % 150 === 42) delete data.lastname;
    yield { recordId: guid(next), data };
  }
}

/** Source products; the 14th has a negative price. */
export function* generateProducts(count: number): Generator<SourceRow> {
  const next = random(777);
  for (let i = 0; i < count; i += 1) {
    const data = {
      name: `${pick(next, PRODUCTS)} ${pick(next, EDITIONS)} ${i + 1}`,
      productnumber: `PRD-${String(i + 1).padStart(5, '0')}`,
      description: 'Hardware for the Contoso sales catalogue',
      price: i === 13 ? -5 : Math.round(next() * 300_000) / 100,
      quantitydecimal: 2,
    };
    yield { recordId: guid(next), data };
  }
}
