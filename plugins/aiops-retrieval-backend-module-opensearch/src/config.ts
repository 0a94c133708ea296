import type { Config } from '@backstage/config';
import { readDurationMs } from '@aiops/plugin-aiops-node';

export interface OpenSearchConfig {
  node: string;
  index: string;
  dimension: number;
  auth?: { username: string; password: string };
  requestTimeoutMs: number;
  rejectUnauthorized: boolean;
}

const INDEX_NAME = /^[a-z0-9][a-z0-9_-]{0,199}$/;

/** `aiops.retrieval.opensearch.*`; a malformed value fails the start naming its key. */
export function readOpenSearchConfig(root: Config): OpenSearchConfig {
  const key = 'aiops.retrieval.opensearch';
  const config = root.getConfig(key);
  const node = config.getString('node');
  if (!/^https?:\/\//.test(node))
    throw new Error(`${key}.node must be an http(s) URL, got "${node}"`);
  const index = config.getOptionalString('index') ?? 'aiops-incidents';
  if (!INDEX_NAME.test(index))
    throw new Error(
      `${key}.index must be a lower-case OpenSearch index name, got "${index}"`,
    );
  const dimension = config.getOptionalNumber('dimension') ?? 512;
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 16000)
    throw new Error(`${key}.dimension must be an integer 1-16000`);
  const username = config.getOptionalString('username');
  const password = config.getOptionalString('password');
  if (!!username !== !!password)
    throw new Error(`${key}.username and ${key}.password go together`);
  return {
    node,
    index,
    dimension,
    ...(username && password && { auth: { username, password } }),
    requestTimeoutMs: readDurationMs(
      root,
      `${key}.requestTimeout`,
      { seconds: 10 },
      { positive: true },
    ),
    rejectUnauthorized:
      config.getOptionalBoolean('tls.rejectUnauthorized') ?? true,
  };
}
