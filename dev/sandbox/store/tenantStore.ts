import type { SandboxDb } from '../db/openDatabase';
import { connectionRecordSchema, type ConnectionRecord, environmentRecordSchema, type EnvironmentRecord, readJson } from '../model';
import { DocumentStore } from './documentStore';

/** The tenant's environments and connections (seeded; read-only over HTTP). */
export class TenantStore {
  readonly environments: DocumentStore<EnvironmentRecord>;
  private readonly connectionsStmt;
  private readonly insertConnectionStmt;

  constructor(db: SandboxDb) {
    this.environments = new DocumentStore(db, 'environments', environmentRecordSchema);
    this.connectionsStmt = db.prepare('SELECT data FROM connections WHERE environment = ? ORDER BY name').pluck();
    this.insertConnectionStmt = db.prepare('INSERT INTO connections (name, environment, data) VALUES (?, ?, ?)');
  }

  /** The connections of an environment. */
  connections(environment: string): ConnectionRecord[] {
    return (this.connectionsStmt.all(environment) as string[]).map((t) => readJson(connectionRecordSchema, t, 'connection'));
  }

  /** One connection of an environment, or undefined. */
  connection(environment: string, name: string): ConnectionRecord | undefined {
    return this.connections(environment).find((c) => c.name === name);
  }

  /** Adds a connection (seeding). */
  insertConnection(connection: ConnectionRecord): void {
    this.insertConnectionStmt.run(connection.name, connection.environment, JSON.stringify(connection));
  }
}
