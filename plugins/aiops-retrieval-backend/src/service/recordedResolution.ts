import type { IncidentResolution } from './types';

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() ? value : undefined;

/**
 * The resolution correlation recorded on the incident (`incident.resolution`: the note and
 * postmortem link given when resolving), read by shape: correlation serves it from the
 * version of its API that records it, and older answers simply lack it.
 */
export function recordedResolution(
  incident: object,
): IncidentResolution | undefined {
  const value = (incident as { resolution?: unknown }).resolution;
  if (!value || typeof value !== 'object') return undefined;
  const { note, postmortemUrl } = value as Record<string, unknown>;
  if (!text(note) && !text(postmortemUrl)) return undefined;
  return { note: text(note), postmortemUrl: text(postmortemUrl) };
}
