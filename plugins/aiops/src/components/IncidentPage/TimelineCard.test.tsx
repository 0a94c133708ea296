import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type {
  IncidentDetails,
  IncidentTimelineEntry,
} from '@aiops/plugin-aiops-common';
import {
  CORRELATION,
  NARRATOR,
  RETRIEVAL,
  backstageError,
  incident,
  minutesAgo,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { IncidentView } from './IncidentPage';

const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });
// The note form is shown to those allowed to change the incident.
const ALLOW = { authorize: () => 'ALLOW' as const };

/** Note `n`, written `n` minutes after the incident opened (60 minutes ago). */
function note(n: number): IncidentTimelineEntry {
  return {
    id: `t${n}`,
    at: minutesAgo(60 - n),
    kind: 'note',
    action: 'note',
    summary: `note ${n}`,
    actor: 'system',
  };
}
const notes = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => note(from + i));

/** The incident's detail with notes `from`..`to` as its newest entries. */
function details(
  from: number,
  to: number,
  olderTimelineCursor?: string,
): IncidentDetails {
  return {
    incident: incident({ id: 'inc-1' }),
    alerts: [],
    alertDetails: 'available',
    findings: [],
    timeline: notes(from, to),
    ...(olderTimelineCursor && { olderTimelineCursor }),
  };
}

/**
 * The backend: the detail is `current()`; timeline pages answer notes 1..6 in pages of three
 * before cursor `c7` (the detail's) or `c4`, as a store paging by sequence would.
 */
function serve(current: () => IncidentDetails) {
  const pages: Array<string | null> = [];
  server.use(
    http.get(`${CORRELATION}/incidents/:id`, () =>
      HttpResponse.json(current()),
    ),
    http.get(`${CORRELATION}/incidents/:id/notifications`, () =>
      HttpResponse.json({ items: [] }),
    ),
    // No narrator or retrieval installed: their cards say so quietly.
    http.get(
      `${NARRATOR}/incidents/:id/narrative`,
      () => new HttpResponse('Not Found', { status: 404 }),
    ),
    http.get(
      `${RETRIEVAL}/incidents/:id/similar`,
      () => new HttpResponse(null, { status: 404 }),
    ),
    http.get(`${CORRELATION}/incidents/:id/timeline`, ({ request }) => {
      const before = new URL(request.url).searchParams.get('before');
      pages.push(before);
      if (before === 'c7')
        return HttpResponse.json({ items: notes(4, 6), nextCursor: 'c4' });
      if (before === 'c4') return HttpResponse.json({ items: notes(1, 3) });
      return backstageError(400, 'InputError', `Invalid cursor "${before}"`);
    }),
  );
  return pages;
}

async function shownNotes() {
  const table = await screen.findByRole('table', { name: 'Timeline' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => (row as HTMLTableRowElement).cells[2].textContent);
}

describe('The incident timeline', () => {
  it('shows the newest entries, and older ones a page at a time until the first', async () => {
    const pages = serve(() => details(7, 9, 'c7'));
    await renderAiops(<IncidentView incidentId="inc-1" />, ALLOW);
    expect(await shownNotes()).toEqual(['note 9', 'note 8', 'note 7']);

    await userEvent.click(
      screen.getByRole('button', { name: 'Show older entries' }),
    );
    await waitFor(async () => expect(await shownNotes()).toHaveLength(6));
    expect(await shownNotes()).toEqual(
      [9, 8, 7, 6, 5, 4].map(n => `note ${n}`),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Show older entries' }),
    );
    await waitFor(async () => expect(await shownNotes()).toHaveLength(9));
    expect(await shownNotes()).toEqual(
      [9, 8, 7, 6, 5, 4, 3, 2, 1].map(n => `note ${n}`),
    );
    // The first entry is shown: nothing older to ask for.
    expect(
      screen.queryByRole('button', { name: 'Show older entries' }),
    ).toBeNull();
    expect(pages).toEqual(['c7', 'c4']);
  });

  it('offers no older entries when the detail holds the whole timeline', async () => {
    const pages = serve(() => details(1, 3));
    await renderAiops(<IncidentView incidentId="inc-1" />, ALLOW);
    expect(await shownNotes()).toEqual(['note 3', 'note 2', 'note 1']);
    expect(
      screen.queryByRole('button', { name: 'Show older entries' }),
    ).toBeNull();
    expect(pages).toEqual([]);
  });

  it('keeps the entries it shows when a page cannot be read, and says why', async () => {
    serve(() => details(7, 9, 'stale'));
    await renderAiops(<IncidentView incidentId="inc-1" />, ALLOW);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show older entries' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /Could not load older entries: .*Invalid cursor "stale"/,
    );
    expect(await shownNotes()).toEqual(['note 9', 'note 8', 'note 7']);
    expect(
      screen.getByRole('button', { name: 'Show older entries' }),
    ).toBeEnabled();
  });

  it('leaves no gap when a reload moves the newest entries on', async () => {
    let current = details(7, 9, 'c7');
    serve(() => current);
    await renderAiops(<IncidentView incidentId="inc-1" />, ALLOW);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show older entries' }),
    );
    await waitFor(async () => expect(await shownNotes()).toHaveLength(6));

    // A note is added: the detail's three newest are now 8..10, and 7 is older than them.
    server.use(
      http.post(`${CORRELATION}/incidents/:id/notes`, () => {
        current = details(8, 10, 'c8');
        return HttpResponse.json(note(10), { status: 201 });
      }),
    );
    await userEvent.click(screen.getByRole('textbox', { name: 'Note' }));
    await userEvent.paste('note 10');
    await userEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(async () => expect(await shownNotes()).toHaveLength(7));
    expect(await shownNotes()).toEqual(
      [10, 9, 8, 7, 6, 5, 4].map(n => `note ${n}`),
    );
  });
});
