import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';

/**
 * The plugin's HTTP contract, read from openapi.yaml so the file stays the single source. (The
 * repo-tools server generator needs a Java download this build cannot make.)
 */
export function loadOpenApiSpec() {
  const file = resolvePackagePath('@aiops/plugin-aiops-ingest-backend', 'src/schema/openapi.yaml');
  return parse(fs.readFileSync(file, 'utf8'));
}
