import { echoed } from './echo';

/**
 * Limits on the shape of JSON that senders and clients send, checked without recursion so the
 * check itself cannot overflow the stack. Everything downstream (the OpenAPI validator,
 * `JSON.stringify`, receivers walking OTLP AnyValues) recurses once per level: a 10,000-deep
 * `custom_details` overflowed it and answered 500.
 */

/**
 * Levels of arrays and objects a body may nest. OTLP needs the most: about 16 for its envelope
 * (down to an exemplar's attribute value), then 3 per nested AnyValue, which leaves room for
 * structured log bodies 16 levels deep.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/** The message for JSON nested deeper than the limit, with what it applies to (`body`). */
export function tooDeepMessage(
  what: string,
  maxDepth = MAX_JSON_DEPTH,
): string {
  return `${what} nests deeper than ${maxDepth} levels of arrays and objects`;
}

/**
 * Whether JSON text nests deeper than `maxDepth`, by one pass over its UTF-8 bytes counting
 * brackets outside strings. Meant to run before `JSON.parse`, which is iterative but still
 * takes about a second to build a 1 MiB chain of arrays. Malformed text gives some answer;
 * `JSON.parse` rejects it afterwards either way.
 */
export function jsonTextNestsDeeperThan(
  text: Uint8Array,
  maxDepth = MAX_JSON_DEPTH,
): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      // UTF-8 continuation bytes are >= 0x80, so an ASCII quote or backslash is always itself.
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

interface Visit {
  value: unknown;
  depth: number;
  parent?: Visit;
  key?: string | number;
}

/**
 * What is wrong with parsed JSON, or undefined: nesting deeper than `maxDepth`, or a string
 * (value or key) holding a lone UTF-16 surrogate, which only a `\ud800`-style escape can
 * produce, or a NUL character (`\u0000`). Lone surrogates make `encodeURIComponent` throw and
 * PostgreSQL refuse them in JSON; PostgreSQL refuses NUL in every text column (a fuzzed alert
 * label `a\u0000b` answered 500). Neither means anything a sender could want. Walks with an
 * explicit stack; a path is built only for the problem it reports, so the walk stays linear in
 * the size of the value.
 */
export function jsonValueProblem(
  value: unknown,
  what = 'body',
  maxDepth = MAX_JSON_DEPTH,
): string | undefined {
  const stack: Visit[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const node = visit.value;
    if (typeof node === 'string') {
      const problem = stringProblem(node);
      if (problem) return problemMessage(what, visit, problem);
    } else if (typeof node === 'object' && node !== null) {
      if (visit.depth >= maxDepth) return tooDeepMessage(what, maxDepth);
      const depth = visit.depth + 1;
      // Pushed last to first, so problems are found in document order.
      if (Array.isArray(node)) {
        for (let i = node.length - 1; i >= 0; i--) {
          stack.push({ value: node[i], depth, parent: visit, key: i });
        }
      } else {
        const keys = Object.keys(node);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i];
          const problem = stringProblem(key);
          if (problem) {
            return problemMessage(
              what,
              { value: key, depth, parent: visit, key },
              problem,
            );
          }
          stack.push({
            value: (node as Record<string, unknown>)[key],
            depth,
            parent: visit,
            key,
          });
        }
      }
    }
  }
  return undefined;
}

const STRING_PROBLEMS = {
  loneSurrogate:
    'holds a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF escape); strings must be well-formed Unicode',
  nul: 'holds a NUL character (\\u0000), which cannot be stored',
};

function stringProblem(text: string): keyof typeof STRING_PROBLEMS | undefined {
  if (!text.isWellFormed()) return 'loneSurrogate';
  if (text.includes('\u0000')) return 'nul';
  return undefined;
}

function problemMessage(
  what: string,
  visit: Visit,
  problem: keyof typeof STRING_PROBLEMS,
): string {
  return `${pathOf(what, visit)} ${STRING_PROBLEMS[problem]}`;
}

/**
 * `alerts[0].labels.team` as receivers name the fields of a body, `data_base64.context.id`
 * inside any other value; `what` for the value itself.
 */
function pathOf(what: string, visit: Visit): string {
  const keys: Array<string | number> = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) {
    keys.push(at.key!);
  }
  if (keys.length === 0) return what;
  return keys.reverse().reduce<string>(
    (path, key) => {
      if (typeof key === 'number') return `${path}[${key}]`;
      // A hostile key is not sent back in full.
      const shown = echoed(key);
      return path ? `${path}.${shown}` : shown;
    },
    what === 'body' ? '' : what,
  );
}
