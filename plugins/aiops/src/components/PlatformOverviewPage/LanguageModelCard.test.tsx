import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { AiopsNarratorApi } from '@aiops/plugin-aiops-common';
import {
  NARRATOR,
  backstageError,
  minutesAgo,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { LanguageModelCard, formatCost } from './LanguageModelCard';

const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

function status(
  llm: AiopsNarratorApi.LlmStatus,
  enabled = true,
): AiopsNarratorApi.GetNarratorStatusResponse {
  return {
    provider: llm.provider,
    available: llm.available,
    llm,
    narrator: { enabled, debounceMs: 5000, cursor: '42' },
  };
}

const mistral: AiopsNarratorApi.LlmStatus = {
  provider: 'mistral',
  available: true,
  models: { chat: 'mistral-small-latest', embedding: 'mistral-embed' },
  breaker: 'closed',
  budget: { tokensPerHour: 200_000, usedLastHour: 12_345, remaining: 187_655 },
  today: {
    day: '2026-12-03',
    calls: 14,
    cacheHits: 3,
    failures: 1,
    tokensIn: 20_100,
    tokensOut: 4_200,
    cost: 0.00684,
    currency: 'EUR',
  },
  recent: [
    {
      at: minutesAgo(2),
      plugin: 'aiops-narrator',
      purpose: 'narrative',
      kind: 'chat',
      model: 'mistral-small-latest',
      outcome: 'ok',
      tokensIn: 1_500,
      tokensOut: 310,
      cost: 0.0005,
      latencyMs: 812.4,
      attempts: 1,
    },
  ],
};

function answer(body: AiopsNarratorApi.GetNarratorStatusResponse) {
  server.use(http.get(`${NARRATOR}/status`, () => HttpResponse.json(body)));
}

describe('LanguageModelCard', () => {
  it('shows the model, breaker, budget, tokens and cost today, and the latest calls', async () => {
    answer(status(mistral));
    await renderAiops(<LanguageModelCard />);

    expect(
      await screen.findByText('Provider mistral is available.'),
    ).toBeInTheDocument();
    const figure = (label: string) =>
      screen.getByRole('group', { name: label }).textContent;
    expect(figure('Model')).toContain('mistral-small-latest');
    expect(figure('Circuit breaker')).toContain('closed');
    expect(figure('Budget used this hour')).toContain(
      '12,345 of 200,000 tokens',
    );
    expect(figure('Calls today')).toContain('14 (3 cached, 1 failed)');
    expect(figure('Tokens today')).toContain('20,100 in, 4,200 out');
    expect(figure('Cost today (UTC)')).toContain('0.0068 EUR');
    const calls = screen.getByRole('table', { name: 'Recent model calls' });
    const row = within(calls).getAllByRole('row')[1];
    expect(row.textContent).toContain('aiops-narrator: narrative');
    expect(row.textContent).toContain('1,810');
    expect(row.textContent).toContain('812 ms');
  });

  it('says the template writes narratives when no model is configured', async () => {
    answer(
      status({
        provider: 'none',
        available: false,
        unavailableReason: 'not-configured',
        breaker: 'none',
      }),
    );
    await renderAiops(<LanguageModelCard />);

    expect(
      await screen.findByText(/No language model is configured/),
    ).toBeInTheDocument();
    expect(screen.getByText(/written by the template/)).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Recent model calls' }),
    ).not.toBeInTheDocument();
  });

  it('names an exhausted budget and an open breaker', async () => {
    answer(
      status({
        ...mistral,
        available: false,
        unavailableReason: 'budget-exhausted',
      }),
    );
    const { unmount } = await renderAiops(<LanguageModelCard />);
    expect(
      await screen.findByText(/token budget \(200,000\) is used up/),
    ).toBeInTheDocument();
    unmount();

    answer(
      status({
        ...mistral,
        available: false,
        unavailableReason: 'breaker-open',
        breaker: 'open',
      }),
    );
    await renderAiops(<LanguageModelCard />);
    expect(await screen.findByText(/circuit breaker open/)).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Circuit breaker' }).textContent,
    ).toContain('open (calls paused)');
  });

  it('says when the narrator is switched off', async () => {
    answer(status(mistral, false));
    await renderAiops(<LanguageModelCard />);
    expect(
      await screen.findByText(/narrator is switched off/),
    ).toBeInTheDocument();
  });

  it('shows the backend error in its words', async () => {
    server.use(
      http.get(`${NARRATOR}/status`, () =>
        backstageError(503, 'ServiceUnavailableError', 'narrator is starting'),
      ),
    );
    await renderAiops(<LanguageModelCard />);
    expect(
      (await screen.findAllByText('narrator is starting')).length,
    ).toBeGreaterThan(0);
  });

  it('formats costs small enough to see them move', () => {
    expect(formatCost(0, 'EUR')).toBe('0.00 EUR');
    expect(formatCost(0.00012, 'USD')).toBe('0.0001 USD');
    expect(formatCost(12.5, 'EUR')).toBe('12.50 EUR');
  });
});
