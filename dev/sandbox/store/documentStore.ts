import type { z } from 'zod';
import type { SandboxDb } from '../db/openDatabase';
import { readJson } from '../model';

/** The tables that hold one JSON document per name. */
export type DocumentTable = 'templates' | 'connection_sets' | 'projects' | 'environments';

/** Named JSON documents, validated with their schema when read back. Names compare case-insensitively. */
export class DocumentStore<T extends { name: string }> {
  private readonly listStmt;
  private readonly getStmt;
  private readonly insertStmt;

  constructor(protected readonly db: SandboxDb, private readonly table: DocumentTable, private readonly schema: z.ZodType<T>) {
    this.listStmt = db.prepare(`SELECT data FROM ${table} ORDER BY name`).pluck();
    this.getStmt = db.prepare(`SELECT data FROM ${table} WHERE name = ?`).pluck();
    this.insertStmt = db.prepare(`INSERT INTO ${table} (name, data) VALUES (?, ?)`);
  }

  /** All documents, by name. */
  list(): T[] {
    return (this.listStmt.all() as string[]).map((text) => readJson(this.schema, text, this.table));
  }

  /** One document, or undefined. */
  get(name: string): T | undefined {
    const text = this.getStmt.get(name) as string | undefined;
    return text === undefined ? undefined : readJson(this.schema, text, this.table);
  }

  /** Adds a document; the caller has checked that the name is free. */
  insert(document: T): T {
    this.insertStmt.run(document.name, JSON.stringify(this.schema.parse(document)));
    return document;
  }
}
