import { clip } from './entityFacts';

/**
 * A past incident retrieval ranked like this one (the fields of retrieval's hit the facts use),
 * as `buildNarrativeFacts` takes it. Kept structural so aiops-node does not depend on the
 * retrieval plugin: whatever finds past incidents can supply them.
 */
export interface PastIncidentInput {
  incidentId: string;
  title: string;
  status: string;
  openedAt: string;
  resolvedAt?: string;
  resolution?: { note?: string; postmortemUrl?: string };
  /** The retrieval's score, 0..1, higher is more alike. */
  score: number;
}

/** A past incident whose fix a narrative may suggest. Its note is people's text: untrusted. */
export interface FactPastIncident {
  /** The past incident's id, cited as evidence of kind `past-incident`. */
  id: string;
  title: string;
  openedAt: string;
  resolvedAt?: string;
  /** What fixed it, as the person resolving it wrote. */
  note?: string;
  postmortemUrl?: string;
  score: number;
}

/** At most this many past fixes: a narrative suggests, it does not list the history. */
export const MAX_PAST_INCIDENTS = 3;

/**
 * The past incidents worth suggesting from: resolved, with a note or a postmortem saying how
 * (a hit with neither has nothing to offer), never the incident itself; best first, ties by id
 * so the facts (and their hash) do not depend on the order they came in.
 */
export function pastIncidentsOf(
  incidentId: string,
  hits: PastIncidentInput[] = [],
): FactPastIncident[] {
  return hits
    .filter(
      h =>
        h.incidentId !== incidentId &&
        h.status === 'resolved' &&
        !!(h.resolution?.note?.trim() || h.resolution?.postmortemUrl),
    )
    .sort(
      (a, b) => b.score - a.score || a.incidentId.localeCompare(b.incidentId),
    )
    .slice(0, MAX_PAST_INCIDENTS)
    .map(h => ({
      id: h.incidentId,
      title: clip(h.title),
      openedAt: h.openedAt,
      ...(h.resolvedAt && { resolvedAt: h.resolvedAt }),
      ...(h.resolution?.note?.trim() && {
        note: clip(h.resolution.note.trim()),
      }),
      ...(h.resolution?.postmortemUrl && {
        postmortemUrl: h.resolution.postmortemUrl,
      }),
      score: Math.round(h.score * 100) / 100,
    }));
}
