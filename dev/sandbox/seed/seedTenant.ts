import type { SandboxDb } from '../db/openDatabase';
import { DocumentStore } from '../store/documentStore';
import { RecordStore } from '../store/recordStore';
import { TenantStore } from '../store/tenantStore';
import { templateRecordSchema } from '../model';
import { generateAccounts, generateContacts, generateProducts } from './sourceRows';
import { SANDBOX_ENVIRONMENTS, seedConnections } from './tenant';
import { SEED_TEMPLATES } from './templates';

/** How to seed a fresh sandbox tenant; ignored when the data folder already holds one. */
export interface SeedOptions {
  /** Environments (name or display name) that get no Dynamics 365 connection, to exercise the prerequisite check. */
  withoutDynamicsConnectionIn?: string[];
  /** False for a tenant of today: the Dynamics 365 connector takes no new connections, Sales is read through a Dataverse one. */
  legacyDynamicsConnector?: boolean;
  /** Source accounts in the Sales environment (default 2,000). */
  accounts?: number;
}

/** Seeds the tenant once: environments, connections, templates and the Sales environment's rows. */
export function seedTenant(db: SandboxDb, options: SeedOptions = {}): boolean {
  if (db.prepare("SELECT 1 FROM meta WHERE key = 'seededAt'").get()) return false;
  const tenant = new TenantStore(db);
  const templates = new DocumentStore(db, 'templates', templateRecordSchema);
  const records = new RecordStore(db);
  const now = new Date().toISOString();
  const accounts = options.accounts ?? 2000;
  const sales = SANDBOX_ENVIRONMENTS.sales.name;
  db.transaction(() => {
    Object.values(SANDBOX_ENVIRONMENTS).forEach((env) => tenant.environments.insert(env));
    seedConnections(options.withoutDynamicsConnectionIn, options.legacyDynamicsConnector).forEach((c) => tenant.insertConnection(c));
    SEED_TEMPLATES.forEach((t) => templates.insert(t));
    records.table(sales, 'account').insertSource(generateAccounts(accounts), now);
    records.table(sales, 'contact').insertSource(generateContacts(Math.max(20, Math.round(accounts / 4))), now);
    records.table(sales, 'product').insertSource(generateProducts(60), now);
    db.prepare("INSERT INTO meta (key, value) VALUES ('seededAt', ?)").run(now);
  })();
  return true;
}
