import { existsSync } from 'fs';
import path from 'path';
import { AppManifestUtils, TeamsManifestV1D19 } from '@microsoft/app-manifest';

/** The one manifest schema this app targets. */
export const SCHEMA_URL = 'https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json';

export type Manifest = TeamsManifestV1D19.TeamsManifestV1D19;

// @microsoft/app-manifest reads a bundled copy of the schema but silently downloads it when the copy is missing;
// packaging must work offline and must not depend on what a URL serves today, so insist on the copy.
const BUNDLED_SCHEMA = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build/json-schemas/teams/v1.19/MicrosoftTeams.schema.json',
);

/** Validates `manifest` offline against the bundled 1.19 schema; returns one line per problem. */
export async function validateManifest(manifest: unknown): Promise<string[]> {
  if (!existsSync(BUNDLED_SCHEMA)) throw new Error(`bundled Teams schema not found at ${BUNDLED_SCHEMA}`);
  const schema = await AppManifestUtils.fetchSchema(SCHEMA_URL);
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as Manifest, schema);
  const problems = errors.map((e) => `schema ${e.trim()}`);
  if ((manifest as { $schema?: unknown }).$schema !== SCHEMA_URL) problems.push(`schema /$schema must be ${SCHEMA_URL}`);
  return problems;
}
