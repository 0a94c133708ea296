import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { AiopsNarratorApi } from '@aiops/plugin-aiops-common';
import {
  NARRATOR,
  backstageError,
  holdResponses,
  minutesAgo,
  narrative,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { NarrativeCard, claimEvidence, rejectedRewrite } from './NarrativeCard';

const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

const ALERT = 'b4908042-1111-4aaa-8bbb-000000000001';
const alertIds = new Set([ALERT]);

function serveNarrative(
  current: AiopsNarratorApi.StoredNarrative | null,
  history: AiopsNarratorApi.StoredNarrative[] = current ? [current] : [],
) {
  let gets = 0;
  server.use(
    http.get(`${NARRATOR}/incidents/:id/narrative`, ({ params }) => {
      gets += 1;
      return HttpResponse.json({ incidentId: params.id, current, history });
    }),
  );
  return () => gets;
}

const template = narrative({
  whatChanged: ['cart 2.790.23 was deployed 3 minutes before its first alert'],
  suggestedActions: ['Follow the runbook of redis-cart'],
  evidence: [
    {
      claim: 'Redis stopped answering at 07:04',
      evidenceIds: [
        ALERT,
        'finding:deploy:dep-1234',
        'resource:default/redis-cart',
      ],
    },
  ],
});

const rejected = narrative({
  id: 'n-2',
  generatedBy: 'mistral-small-latest',
  accepted: false,
  createdAt: minutesAgo(1),
  grounding: {
    passed: false,
    rules: ['cited-evidence@1'],
    rejected: [
      {
        section: 'summary',
        text: 'Redis 7.4 crashed',
        problems: [{ rule: 'versions@1', message: '7.4 is not in the facts' }],
      },
    ],
  },
});

describe('NarrativeCard', () => {
  it('shows a template narrative with its label, sections and claims', async () => {
    serveNarrative(template);
    await renderAiops(<NarrativeCard incidentId="inc-1" alertIds={alertIds} />);

    expect(
      await screen.findByText(
        'Redis (cart) is the most likely cause, alerting since 07:04.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Template')).toBeInTheDocument();
    expect(screen.getByText('5 min ago')).toBeInTheDocument();
    expect(
      screen.getByText('cart and frontend are affected; owned by Platform.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('resource:default/redis-cart stopped answering.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'cart 2.790.23 was deployed 3 minutes before its first alert',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Follow the runbook of redis-cart'),
    ).toBeInTheDocument();

    const claim = screen.getByText('Redis stopped answering at 07:04')
      .parentElement!;
    expect(
      within(claim).getByText('alert b4908042…').closest('a'),
    ).toHaveAttribute('href', `#alert-${ALERT}`);
    expect(
      within(claim)
        .getByText('entity resource:default/redis-cart')
        .closest('a'),
    ).toHaveAttribute('href', '/catalog/default/resource/redis-cart');
    expect(
      within(claim).getByText('finding:deploy:dep-1234'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/rejected by the grounding check/),
    ).not.toBeInTheDocument();
  });

  it("names the model of a model's narrative", async () => {
    serveNarrative(narrative({ generatedBy: 'mistral-small-latest' }));
    await renderAiops(<NarrativeCard incidentId="inc-1" alertIds={alertIds} />);

    expect(await screen.findByText('mistral-small-latest')).toBeInTheDocument();
    expect(screen.queryByText('Template')).not.toBeInTheDocument();
  });

  it('notes a rewrite the grounding check rejected, with its reasons', async () => {
    serveNarrative(template, [rejected, template]);
    await renderAiops(<NarrativeCard incidentId="inc-1" alertIds={alertIds} />);

    expect(
      await screen.findByText(
        /A model rewrite was rejected by the grounding check/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Template')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show reasons' }));
    expect(
      screen.getByText(
        'summary: “Redis 7.4 crashed” — 7.4 is not in the facts',
      ),
    ).toBeInTheDocument();
  });

  it('regenerates, disabled while it runs, then reloads', async () => {
    const gets = serveNarrative(template);
    const held = holdResponses();
    const posts: string[] = [];
    server.use(
      http.post(
        `${NARRATOR}/incidents/:id/narrative/regenerate`,
        async ({ params }) => {
          posts.push(String(params.id));
          return held.answer({
            incidentId: params.id,
            current: template,
            model: 'unavailable',
          })();
        },
      ),
    );
    await renderAiops(<NarrativeCard incidentId="inc-1" alertIds={alertIds} />);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Regenerate' }),
    );
    expect(
      await screen.findByRole('button', { name: 'Regenerating…' }),
    ).toBeDisabled();
    expect(posts).toEqual(['inc-1']);
    const before = gets();
    held.release();
    expect(
      await screen.findByRole('button', { name: 'Regenerate' }),
    ).toBeEnabled();
    await waitFor(() => expect(gets()).toBeGreaterThan(before));
  });

  it("shows the backend's message when regenerating is forbidden", async () => {
    serveNarrative(template);
    server.use(
      http.post(`${NARRATOR}/incidents/:id/narrative/regenerate`, () =>
        backstageError(403, 'NotAllowedError', 'You may not change inc-1'),
      ),
    );
    await renderAiops(<NarrativeCard incidentId="inc-1" alertIds={alertIds} />);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Regenerate' }),
    );
    expect(
      await screen.findByText(
        'Could not regenerate the narrative: You may not change inc-1',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Regenerate' })).toBeEnabled();
  });

  it('says quietly that there is no narrative yet', async () => {
    serveNarrative(null);
    await renderAiops(<NarrativeCard incidentId="inc-1" alertIds={alertIds} />);

    expect(await screen.findByText('No narrative yet.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Regenerate' })).toBeEnabled();
  });

  it('says the same when the narrator is not installed', async () => {
    server.use(
      http.get(
        `${NARRATOR}/incidents/:id/narrative`,
        () => new HttpResponse('Not Found', { status: 404 }),
      ),
    );
    await renderAiops(<NarrativeCard incidentId="inc-1" alertIds={alertIds} />);

    expect(await screen.findByText('No narrative yet.')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Regenerate' }),
    ).not.toBeInTheDocument();
  });
});

describe('claimEvidence', () => {
  it('links alerts listed on the page and entities, and keeps the rest as ids', () => {
    expect(
      claimEvidence(
        [ALERT, 'other-alert', 'component:default/cart', 'finding:k', 'dep-1'],
        alertIds,
      ),
    ).toEqual({
      linked: [
        { kind: 'alert', id: ALERT },
        { kind: 'entity', id: 'component:default/cart' },
      ],
      other: ['other-alert', 'finding:k', 'dep-1'],
    });
  });
});

describe('rejectedRewrite', () => {
  it("is the newest model rewrite when it was rejected, not an older one's", () => {
    expect(rejectedRewrite([rejected, template])).toBe(rejected);
    const accepted = narrative({ generatedBy: 'm', accepted: true });
    expect(rejectedRewrite([accepted, rejected, template])).toBeUndefined();
    expect(rejectedRewrite([template])).toBeUndefined();
  });
});
