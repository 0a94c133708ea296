import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  RETRIEVAL,
  backstageError,
  holdResponses,
  renderAiops,
  setupAiopsTestApp,
  similarHit,
} from '../../__testUtils__/aiopsTestApp';
import { SimilarIncidentsCard } from './SimilarIncidentsCard';
import { whyLabels } from './SimilarIncidentList';

const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

function answer(hits = [similarHit()], mode = 'hybrid') {
  return {
    incidentId: 'inc-1',
    hits,
    mode,
    model: 'hashed-ngrams@1',
    fusion: 'minmax',
  };
}

describe('SimilarIncidentsCard', () => {
  it('shows each past incident with how it was resolved and why it matched', async () => {
    let url = '';
    server.use(
      http.get(`${RETRIEVAL}/incidents/:id/similar`, ({ request }) => {
        url = request.url;
        return HttpResponse.json(
          answer([
            similarHit(),
            similarHit({
              incidentId: 'inc-past-2',
              title: 'cart: CartErrorRate',
              status: 'open',
              resolvedAt: undefined,
              timeToResolveMs: undefined,
              resolution: undefined,
              score: 0.4,
              why: {
                sharedEntities: [],
                sharedAlertNames: [],
                sameRootCause: false,
                sameSystem: false,
                sharedTerms: ['cart'],
                signals: { lexical: 1.1, structural: 0 },
              },
            }),
          ]),
        );
      }),
    );
    await renderAiops(<SimilarIncidentsCard incidentId="inc-1" />);

    const past = await screen.findByRole('listitem', {
      name: 'redis-cart: RedisCartLatencyHigh (+2 related alerts)',
    });
    expect(url).toBe(`${RETRIEVAL}/incidents/inc-1/similar?k=5`);
    expect(
      within(past).getByRole('link', {
        name: 'redis-cart: RedisCartLatencyHigh (+2 related alerts)',
      }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-past-1');
    expect(within(past).getByText('resolved')).toBeInTheDocument();
    expect(within(past).getByText('score 0.91')).toBeInTheDocument();
    expect(past).toHaveTextContent('opened 3 d ago · resolved in 45 min');
    const howResolved = within(past).getByLabelText('How it was resolved');
    expect(howResolved).toHaveTextContent(
      'Raised redis-cart memory limit to 2Gi and restarted it.',
    );
    expect(
      within(howResolved).getByRole('link', { name: /^Postmortem/ }),
    ).toHaveAttribute('href', 'https://postmortems.acme.example/PM-101');
    expect(
      Array.from(within(past).getByLabelText('Why it matched').children).map(
        chip => chip.textContent,
      ),
    ).toEqual([
      'same root cause',
      'alert RedisCartLatencyHigh',
      'resource:redis-cart',
      'same system',
      '“rediscartlatencyhigh”',
      '“redis”',
    ]);

    const open = screen.getByRole('listitem', { name: 'cart: CartErrorRate' });
    expect(within(open).getByText('open')).toBeInTheDocument();
    expect(
      within(open).queryByLabelText('How it was resolved'),
    ).not.toBeInTheDocument();
    expect(open).not.toHaveTextContent('resolved in');
    // The mode is worth a line only when vectors were left out.
    expect(screen.queryByText(/lexical-structural/)).not.toBeInTheDocument();
  });

  it('says when the hits were found without vectors', async () => {
    server.use(
      http.get(`${RETRIEVAL}/incidents/:id/similar`, () =>
        HttpResponse.json(answer([similarHit()], 'lexical-structural')),
      ),
    );
    await renderAiops(<SimilarIncidentsCard incidentId="inc-1" />);
    expect(
      await screen.findByText(
        /words and structure only \(lexical-structural\)/,
      ),
    ).toBeInTheDocument();
  });

  it('shows progress while it waits, then says there are none yet', async () => {
    const hold = holdResponses();
    server.use(
      http.get(`${RETRIEVAL}/incidents/:id/similar`, hold.answer(answer([]))),
    );
    await renderAiops(<SimilarIncidentsCard incidentId="inc-1" />);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    hold.release();
    expect(
      await screen.findByText('No similar past incidents yet.'),
    ).toBeInTheDocument();
  });

  it('says quietly that retrieval is not installed when its routes do not exist', async () => {
    server.use(
      http.get(
        `${RETRIEVAL}/incidents/:id/similar`,
        () => new HttpResponse(null, { status: 404 }),
      ),
    );
    await renderAiops(<SimilarIncidentsCard incidentId="inc-1" />);
    expect(
      await screen.findByText(
        'Past-incident retrieval (aiops-retrieval) is not installed.',
      ),
    ).toBeInTheDocument();
  });

  it("gives retrieval's own error in a line", async () => {
    server.use(
      http.get(`${RETRIEVAL}/incidents/:id/similar`, () =>
        backstageError(503, 'ServiceUnavailableError', 'correlation is down'),
      ),
    );
    await renderAiops(<SimilarIncidentsCard incidentId="inc-1" />);
    expect(
      await screen.findByText(
        'Could not search past incidents: correlation is down',
      ),
    ).toBeInTheDocument();
  });

  it('names at most five shared words, the most specific first', () => {
    const terms = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    expect(
      whyLabels({
        sharedEntities: [],
        sharedAlertNames: [],
        sameRootCause: false,
        sameSystem: false,
        sharedTerms: terms,
        signals: { structural: 0 },
      }),
    ).toEqual(['“a1”', '“a2”', '“a3”', '“a4”', '“a5”']);
  });
});
