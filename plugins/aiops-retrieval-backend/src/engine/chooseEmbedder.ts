import type { LoggerService } from '@backstage/backend-plugin-api';
import { llmStatus, type LlmService } from '@aiops/plugin-aiops-node';
import {
  DEFAULT_OFFLINE_EMBEDDER,
  type EmbedderName,
  type OfflineEmbedderName,
} from '../config';
import type { Embedder } from '../service/embedder';
import { hashedNgramsEmbedder } from '../service/hashedNgrams';
import { LlmEmbedder } from '../service/llmEmbedder';
import { UseLiteEmbedder } from '../service/useLiteEmbedder';

function offline(name: OfflineEmbedderName): Embedder {
  return name === 'use-lite' ? new UseLiteEmbedder() : hashedNgramsEmbedder;
}

/**
 * The embedder for `aiops.retrieval.embedder`, chosen once at start: vectors of one model only
 * are compared, so an LLM that fails later is not replaced by an offline model (its documents
 * wait for a vector, and answers say `lexical-structural`), and an LLM configured later takes
 * effect at the next start (which re-embeds).
 */
export function chooseEmbedder(
  name: EmbedderName,
  llm: LlmService,
  logger: LoggerService,
): Embedder {
  if (name === 'hashed-ngrams' || name === 'use-lite') return offline(name);
  if (llm.available()) return new LlmEmbedder(llm);
  if (name === 'llm')
    logger.warn(
      `aiops.retrieval.embedder is llm, but the LLM service is not available (provider ${
        llmStatus(llm).provider
      }); embedding offline with ${DEFAULT_OFFLINE_EMBEDDER}`,
    );
  return offline(DEFAULT_OFFLINE_EMBEDDER);
}
