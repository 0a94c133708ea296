/* eslint-disable no-console */
import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { generateLabelledSet } from './labelledSet';

/*
 * Writes the labelled set to evaluation/labelled-incidents.json in the plugin:
 * `node -r @backstage/cli/config/nodeTransform.cjs plugins/aiops-retrieval-backend/src/evaluation/generate.ts`.
 * Deterministic: the committed file is what this writes (a test checks it).
 */
export const LABELLED_SET_FILE = resolvePackagePath(
  '@aiops/plugin-aiops-retrieval-backend',
  'evaluation/labelled-incidents.json',
);

if (require.main === module) {
  const set = generateLabelledSet();
  fs.mkdirSync(path.dirname(LABELLED_SET_FILE), { recursive: true });
  fs.writeFileSync(LABELLED_SET_FILE, `${JSON.stringify(set, null, 1)}\n`);
  console.log(
    `${set.incidents.length} incidents in ${set.groups.length} groups written to ${LABELLED_SET_FILE}`,
  );
}
