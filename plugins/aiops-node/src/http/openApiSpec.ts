import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';

/**
 * A plugin's HTTP contract, read from its `src/schema/openapi.yaml` at run time so the file
 * stays the single source. (The repo-tools server generator needs a Java download this build
 * cannot make.)
 */
export function loadOpenApiSpec(packageName: string) {
  const file = resolvePackagePath(packageName, 'src/schema/openapi.yaml');
  return parse(fs.readFileSync(file, 'utf8'));
}
