import { useEffect, useRef, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useApi } from '@backstage/core-plugin-api';
import type { IncidentTimelineEntry } from '@aiops/plugin-aiops-common';
import { aiopsApiRef } from '../../api/AiopsApi';

/*
 * The incident detail carries its newest timeline entries (200) and a cursor to the older ones;
 * "Show older entries" reads them a page at a time.
 */

/** Older entries read so far, oldest first, and where the next page starts (none: all read). */
export interface OlderEntries {
  entries: IncidentTimelineEntry[];
  cursor?: string;
}

/** The older entries before the detail's, each once, oldest first. */
export function joinTimeline(
  older: IncidentTimelineEntry[],
  newest: IncidentTimelineEntry[],
): IncidentTimelineEntry[] {
  const ids = new Set(newest.map(entry => entry.id));
  return [...older.filter(entry => !ids.has(entry.id)), ...newest];
}

/** The entries of `before` that `after` no longer holds. */
export function droppedEntries(
  before: IncidentTimelineEntry[],
  after: IncidentTimelineEntry[],
): IncidentTimelineEntry[] {
  const ids = new Set(after.map(entry => entry.id));
  return before.filter(entry => !ids.has(entry.id));
}

/**
 * The detail's timeline with the older pages read so far, and `loadOlder` for the next one.
 * Keep one per incident (key the component by the incident id).
 */
export function useOlderTimeline(
  incidentId: string,
  timeline: IncidentTimelineEntry[],
  olderTimelineCursor: string | undefined,
) {
  const api = useApi(aiopsApiRef);
  const [older, setOlder] = useState<OlderEntries>();
  // A reload (after an action, or the page's poll) moves the detail's window on: the entries
  // it no longer carries were shown, and join the older ones so the history keeps no gap.
  const shown = useRef(timeline);
  useEffect(() => {
    const dropped = droppedEntries(shown.current, timeline);
    shown.current = timeline;
    if (dropped.length) {
      setOlder(o => o && { ...o, entries: joinTimeline(o.entries, dropped) });
    }
  }, [timeline]);

  const before = older ? older.cursor : olderTimelineCursor;
  const [state, loadOlder] = useAsyncFn(async () => {
    const page = await api.listIncidentTimeline(incidentId, { before });
    setOlder(o => ({
      entries: joinTimeline(page.items, o?.entries ?? []),
      cursor: page.nextCursor,
    }));
  }, [api, incidentId, before]);

  return {
    entries: joinTimeline(older?.entries ?? [], timeline),
    hasOlder: before !== undefined,
    loadOlder,
    loading: state.loading,
    error: state.error,
  };
}
