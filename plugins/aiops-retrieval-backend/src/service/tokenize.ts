/**
 * Words too common in incident text to say which incident it is. Short on purpose: alert and
 * service vocabulary ("down", "high", "error") carries meaning here.
 */
const STOPWORDS = new Set(
  (
    'a an and are as at be but by for from has have in into is it its of on or ' +
    'that the this to was were will with default component resource system'
  ).split(' '),
);

/** Most tokens read from one text: bounds the work a very long note can cause. */
export const MAX_TOKENS = 2000;

/**
 * The words of a text as the index and the queries both see them: lower case, split on
 * anything not a letter or digit, camel case split too (`RedisDown` gives `redisdown`, `redis`
 * and `down`), stop words and one-character words dropped. In text order, with repeats (term
 * frequency counts them). Only `[a-z0-9]` and other Unicode letters or digits come out, so a
 * token is safe in FTS5 and tsquery syntax.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.split(/[^\p{L}\p{N}]+/u)) {
    if (tokens.length >= MAX_TOKENS) break;
    if (!word) continue;
    const lower = word.toLocaleLowerCase('en-US');
    if (keep(lower)) tokens.push(lower);
    const parts = word
      .split(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u)
      .map(part => part.toLocaleLowerCase('en-US'));
    if (parts.length > 1)
      for (const part of parts) if (keep(part)) tokens.push(part);
  }
  return tokens.slice(0, MAX_TOKENS);
}

function keep(token: string) {
  return token.length > 1 && !STOPWORDS.has(token);
}
