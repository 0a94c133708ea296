// Only tests load `./testUtils`; msw is a dev dependency of each plugin whose tests use this,
// so that adopters of aiops-node do not install it.
/* eslint-disable @backstage/no-undeclared-imports */
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

/** A host msw answers for; nothing here reaches the network (unhandled requests fail). */
export const FAKE_MISTRAL_URL = 'https://mistral.llm.test';

/** The config of a mistral provider pointed at the fake host, with quick timings for tests. */
export function mistralTestConfig(llm: Record<string, unknown> = {}) {
  const { mistral, ...rest } = llm as { mistral?: Record<string, unknown> };
  return new ConfigReader({
    aiops: {
      llm: {
        provider: 'mistral',
        timeouts: { chat: 'PT2S', embedding: 'PT2S' },
        retry: { initialDelay: 'PT0.01S', maxDelay: 'PT2S' },
        ...rest,
        mistral: {
          apiKey: 'test-key',
          serverUrl: FAKE_MISTRAL_URL,
          chatModel: 'mistral-small-latest',
          embeddingModel: 'mistral-embed',
          prices: { inputPerMillionTokens: 2, outputPerMillionTokens: 6 },
          ...mistral,
        },
      },
    },
  });
}

/** A chat completion as the Mistral API answers it. */
export function chatCompletion(
  content: string,
  usage = { prompt_tokens: 100, completion_tokens: 50 },
) {
  return {
    id: 'cmpl-1',
    object: 'chat.completion',
    model: 'mistral-small-2506',
    created: 1_760_000_000,
    usage: {
      ...usage,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
    },
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        message: { role: 'assistant', content },
      },
    ],
  };
}

export function embeddingsResponse(inputs: string[], promptTokens = 10) {
  return {
    id: 'emb-1',
    object: 'list',
    model: 'mistral-embed',
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: 0,
      total_tokens: promptTokens,
    },
    data: inputs.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: [text.length, index],
    })),
  };
}

export interface SeenRequest {
  path: string;
  at: number;
  body: any;
  authorization: string | null;
}

/**
 * An msw server standing in for the Mistral API. `answer` decides each chat response, given the
 * attempt number (1-based); every request is kept in `seen`.
 */
export function fakeMistralServer() {
  const seen: SeenRequest[] = [];
  let answerChat: (attempt: number) => Response | Promise<Response> = () =>
    HttpResponse.json(chatCompletion('{"ok":true}'));
  let answerEmbeddings: (
    input: string[],
  ) => Response | Promise<Response> = input =>
    HttpResponse.json(embeddingsResponse(input));
  const server = setupServer(
    http.post(
      `${FAKE_MISTRAL_URL}/v1/chat/completions`,
      async ({ request }) => {
        seen.push({
          path: '/v1/chat/completions',
          at: Date.now(),
          body: await request.json(),
          authorization: request.headers.get('authorization'),
        });
        return answerChat(
          seen.filter(s => s.path === '/v1/chat/completions').length,
        );
      },
    ),
    http.post(`${FAKE_MISTRAL_URL}/v1/embeddings`, async ({ request }) => {
      const body = (await request.json()) as { input: string[] };
      seen.push({
        path: '/v1/embeddings',
        at: Date.now(),
        body,
        authorization: request.headers.get('authorization'),
      });
      return answerEmbeddings(body.input);
    }),
  );
  return {
    server,
    seen,
    onChat(answer: typeof answerChat) {
      answerChat = answer;
    },
    onEmbeddings(answer: typeof answerEmbeddings) {
      answerEmbeddings = answer;
    },
  };
}
