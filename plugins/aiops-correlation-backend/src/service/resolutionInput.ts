import { InputError } from '@backstage/errors';
import type { ResolutionInput } from '@aiops/plugin-aiops-common';

/** What the resolve API accepts (src/schema/openapi.yaml, `ResolutionInput`). */
export const RESOLUTION_NOTE_MAX_LENGTH = 4_000;
export const POSTMORTEM_URL_MAX_LENGTH = 2_000;

/**
 * The `resolution` of a resolve request's body, checked and trimmed; `undefined` when there is
 * none (an empty body resolves as before). The spec's validator has checked the types and
 * lengths already; this names the field for what it cannot say: a blank note, a link that is not
 * http(s) or that carries credentials (they would be shown to every reader of the incident).
 */
export function readResolutionInput(
  body: unknown,
): ResolutionInput | undefined {
  const resolution = (body as { resolution?: unknown } | undefined)?.resolution;
  if (resolution === undefined) return undefined;
  if (
    typeof resolution !== 'object' ||
    resolution === null ||
    Array.isArray(resolution)
  ) {
    throw new InputError('resolution must be an object');
  }
  const { note, postmortemUrl } = resolution as Record<string, unknown>;
  return {
    ...(note !== undefined && { note: readNote(note) }),
    ...(postmortemUrl !== undefined && {
      postmortemUrl: readPostmortemUrl(postmortemUrl),
    }),
  };
}

function readNote(value: unknown): string {
  const note = typeof value === 'string' ? value.trim() : '';
  if (!note || note.length > RESOLUTION_NOTE_MAX_LENGTH) {
    throw new InputError(
      `resolution.note must be a non-blank string of at most ${RESOLUTION_NOTE_MAX_LENGTH} characters`,
    );
  }
  return note;
}

function readPostmortemUrl(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const problem = urlProblem(text);
  if (problem) {
    throw new InputError(`resolution.postmortemUrl ${problem}`);
  }
  return text;
}

function urlProblem(text: string): string | undefined {
  if (!text || text.length > POSTMORTEM_URL_MAX_LENGTH) {
    return `must be a URL of at most ${POSTMORTEM_URL_MAX_LENGTH} characters`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'must be an http or https URL';
  }
  if (url.username || url.password) {
    return 'must not carry a user name or password';
  }
  return undefined;
}
