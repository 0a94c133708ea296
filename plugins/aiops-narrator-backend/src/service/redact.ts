/*
 * Redaction of secrets from text before anything leaves the backend for a model. Alert
 * descriptions, labels and change summaries carry whatever senders put in them: tokens in
 * URLs, passwords in connection strings, e-mail addresses of people. Each pattern is a bounded
 * repetition of one class (linear in the input), texts are cut at `MAX_REDACTED` characters, and
 * what is found is replaced by `[REDACTED:<kind>]`, so a reader (and the model) still sees that
 * something was there.
 */

export type RedactionKind =
  | 'private-key'
  | 'jwt'
  | 'bearer'
  | 'connection-string'
  | 'password'
  | 'api-key'
  | 'token'
  | 'email'
  | 'custom';

export interface RedactionOptions {
  /**
   * Extra patterns from configuration (`aiops.narrator.redact.patterns`), as regular
   * expression sources. Each match is replaced whole. Operators own their patterns' cost: keep
   * them free of nested repetition.
   */
  patterns?: string[];
}

export interface Redacted {
  text: string;
  /** How many secrets of each kind were replaced. */
  found: Partial<Record<RedactionKind, number>>;
  /** The input was longer than `MAX_REDACTED` and was cut. */
  truncated: boolean;
}

/** Longer texts are cut: nothing a model needs from one alert field is longer. */
export const MAX_REDACTED = 16_384;
const MAX_CUSTOM_PATTERNS = 50;

const mark = (kind: RedactionKind) => `[REDACTED:${kind}]`;

/**
 * In order: what contains the others first (a private key block holds base64 that looks like a
 * token; a connection string holds a password), and vendors' formats before generic ones, so a
 * GitHub token after the word "token" is named as what it is.
 */
const RULES: Array<{
  kind: RedactionKind;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}> = [
  {
    kind: 'private-key',
    pattern:
      /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[A-Za-z0-9+/=\s]{0,10000}-----END [A-Z ]{0,40}PRIVATE KEY-----/g,
    replace: () => mark('private-key'),
  },
  {
    kind: 'jwt',
    pattern: /\beyJ[\w-]{5,4000}\.eyJ[\w-]{5,4000}\.[\w-]{0,4000}/g,
    replace: () => mark('jwt'),
  },
  {
    // Vendors' key formats: AWS, GitHub, Slack, Stripe, Google, OpenAI-style `sk-`.
    kind: 'api-key',
    pattern:
      /\b(?:AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_\w{22,255}|xox[abprs]-[\w-]{10,255}|(?:sk|rk|pk)_(?:live|test)_\w{16,255}|AIza[\w-]{35}|sk-[\w-]{20,255})/g,
    replace: () => mark('api-key'),
  },
  {
    kind: 'bearer',
    pattern: /\b(Bearer|Basic|Token|Digest)(\s{1,4})[\w.~+/=-]{8,4000}/gi,
    replace: (_, scheme, space) => `${scheme}${space}${mark('bearer')}`,
  },
  {
    // scheme://user:password@host keeps the scheme and host: where it points is not secret.
    kind: 'connection-string',
    pattern: /\b([a-z][a-z0-9+.-]{1,30}:\/\/)[^\s:/@]{0,256}:[^\s@/]{1,256}@/gi,
    replace: (_, scheme) => `${scheme}${mark('connection-string')}@`,
  },
  {
    // ODBC/ADO style: `Server=db;User Id=app;Password=hunter2;`
    kind: 'password',
    pattern:
      /\b(pass(?:word|wd)?|pwd|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|token)(["']?\s{0,4}[=:]\s{0,4}["']?)[^\s"'&,;]{1,1000}/gi,
    replace: (_, key, sep) => `${key}${sep}${mark('password')}`,
  },
  {
    kind: 'email',
    pattern: /\b[\w.+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}\b/gi,
    replace: () => mark('email'),
  },
  {
    // Long random-looking strings: upper and lower case letters and digits together. Hex (commit
    // SHAs, trace ids) has no upper case and is kept: it is evidence, not a credential.
    kind: 'token',
    pattern: /\b[A-Za-z0-9+/_-]{32,4000}={0,2}/g,
    replace: match =>
      /[A-Z]/.test(match) && /[a-z]/.test(match) && /\d/.test(match)
        ? mark('token')
        : match,
  },
];

function customRules(patterns: string[] = []): RegExp[] {
  return patterns
    .slice(0, MAX_CUSTOM_PATTERNS)
    .map(source => new RegExp(source, 'g'));
}

/** `text` with every secret the rules (and the configured patterns) find replaced. */
export function redact(text: string, options: RedactionOptions = {}): Redacted {
  const truncated = text.length > MAX_REDACTED;
  let result = truncated ? text.slice(0, MAX_REDACTED) : text;
  const found: Redacted['found'] = {};
  const count = (kind: RedactionKind) => {
    found[kind] = (found[kind] ?? 0) + 1;
  };
  for (const rule of RULES) {
    result = result.replace(rule.pattern, (match, ...groups) => {
      const replaced = rule.replace(match, ...groups);
      if (replaced !== match) count(rule.kind);
      return replaced;
    });
  }
  for (const pattern of customRules(options.patterns)) {
    result = result.replace(pattern, match => {
      if (match.length === 0) return match;
      count('custom');
      return mark('custom');
    });
  }
  return { text: result, found, truncated };
}

/**
 * Every string in plain data redacted (facts, a prompt's parts); keys are kept. Arrays and
 * objects are copied, so the input is left as it was.
 */
export function redactDeep<T>(value: T, options: RedactionOptions = {}): T {
  if (typeof value === 'string') return redact(value, options).text as T;
  if (Array.isArray(value)) return value.map(v => redactDeep(v, options)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactDeep(v, options)]),
    ) as T;
  return value;
}
