import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  RETRIEVAL,
  backstageError,
  renderAiops,
  setupAiopsTestApp,
  similarHit,
} from '../../__testUtils__/aiopsTestApp';
import { IncidentSearchCard } from './IncidentSearchCard';

const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

const result = (hits = [similarHit()]) => ({
  hits,
  mode: 'hybrid',
  model: 'hashed-ngrams@1',
  fusion: 'minmax',
});

async function searchFor(text: string) {
  await userEvent.type(
    screen.getByRole('textbox', { name: 'What happened?' }),
    text,
  );
  await userEvent.click(screen.getByRole('button', { name: 'Search' }));
}

describe('IncidentSearchCard', () => {
  it('searches past incidents for the text and shows the hits as on the incident page', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${RETRIEVAL}/search`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json(result());
      }),
    );
    await renderAiops(<IncidentSearchCard />);
    expect(screen.getByRole('button', { name: 'Search' })).toBeDisabled();

    await searchFor('  redis cart out of memory ');
    const hit = await screen.findByRole('listitem', {
      name: 'redis-cart: RedisCartLatencyHigh (+2 related alerts)',
    });
    expect(bodies).toEqual([{ query: 'redis cart out of memory', k: 10 }]);
    expect(within(hit).getByLabelText('How it was resolved')).toHaveTextContent(
      'Raised redis-cart memory limit',
    );
    expect(
      within(hit).getByRole('link', { name: /redis-cart/ }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-past-1');
  });

  it('says when nothing matches', async () => {
    server.use(
      http.post(`${RETRIEVAL}/search`, () => HttpResponse.json(result([]))),
    );
    await renderAiops(<IncidentSearchCard />);
    await searchFor('tape library');
    expect(
      await screen.findByText('No past incidents match.'),
    ).toBeInTheDocument();
  });

  it("shows the backend's words for a refused query", async () => {
    server.use(
      http.post(`${RETRIEVAL}/search`, () =>
        backstageError(400, 'InputError', 'query must not contain NUL'),
      ),
    );
    await renderAiops(<IncidentSearchCard />);
    await searchFor('x');
    expect(
      await screen.findByText(
        'Could not search past incidents: query must not contain NUL',
      ),
    ).toBeInTheDocument();
  });

  it('says quietly that retrieval is not installed', async () => {
    server.use(
      http.post(
        `${RETRIEVAL}/search`,
        () => new HttpResponse(null, { status: 404 }),
      ),
    );
    await renderAiops(<IncidentSearchCard />);
    await searchFor('redis');
    expect(
      await screen.findByText(
        'Past-incident retrieval (aiops-retrieval) is not installed.',
      ),
    ).toBeInTheDocument();
  });
});
