/** The most characters of one piece of sender input (a key, a value, a header) an error shows. */
export const MAX_ECHOED_LENGTH = 100;

/**
 * Sender input as an error message may show it: at most `max` characters, then `…`, as
 * well-formed Unicode. A message names the field and shows enough to find it; echoing a
 * 200 KB key in full would only amplify the request into the answer and the logs.
 */
export function echoed(text: string, max: number = MAX_ECHOED_LENGTH): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return shown.toWellFormed();
}

// Bounded below and unbounded above, but a single class: matching is linear in the message.
const LONG_RUN = new RegExp(`[^\\s/.]{${MAX_ECHOED_LENGTH + 1},}`, 'g');

/**
 * A message built by code we do not control (the OpenAPI validator names a field by its path,
 * keys and all) with every run of more than MAX_ECHOED_LENGTH characters between spaces,
 * slashes and dots cut as by `echoed`. A last resort: messages we build echo with `echoed`.
 */
export function withEchoesCut(message: string): string {
  return message.replace(LONG_RUN, run => echoed(run));
}
