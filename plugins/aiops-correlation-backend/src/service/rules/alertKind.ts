import type { CorrelatedAlert } from '../types';

/**
 * What kind of failure an alert reports, read from its name and labels (issue [L], failure
 * class 2): an **outage** (the thing is down, crashing, unreachable) can start a cascade; a
 * **symptom** (a backlog, saturation, latency) is what a failure elsewhere looks like from
 * here — a queue backs up because its consumer died. Everything else is `neutral` (error
 * rates, 5xx), which can be either.
 */
export type AlertKind = 'outage' | 'neutral' | 'symptom';

export interface AlertKindConfig {
  /** Words (or two adjacent words run together, like `notready`) that mark an outage. */
  outageWords: string[];
  /** Words that mark a symptom. An alert with both kinds of words is an outage. */
  symptomWords: string[];
  /** A label that says the kind outright (`outage` or `symptom`), overriding the words. */
  kindLabel: string;
  /** Labels whose values are read for words besides the alert's name (e.g. `reason`). */
  labels: string[];
}

export const DEFAULT_ALERT_KINDS: AlertKindConfig = {
  outageWords: [
    'down',
    'crash',
    'crashing',
    'crashed',
    'crashloop',
    'crashlooping',
    'unavailable',
    'unreachable',
    'oom',
    'oomkilled',
    'killed',
    'dead',
    'notready',
    'unhealthy',
    'panic',
    'outage',
    'offline',
    'absent',
  ],
  symptomWords: [
    'backlog',
    'lag',
    'lagging',
    'saturated',
    'saturation',
    'latency',
    'slow',
    'throttled',
    'throttling',
    'pressure',
    'pending',
    'queued',
  ],
  kindLabel: 'aiops_kind',
  labels: ['reason'],
};

/** Names and label values longer than this are cut: they come from senders. */
const MAX_TEXT = 256;

const isLower = (c: string) => c >= 'a' && c <= 'z';
const isUpper = (c: string) => c >= 'A' && c <= 'Z';
const isDigit = (c: string) => c >= '0' && c <= '9';

/**
 * Splits `KubePodCrashLooping`, `rabbitmq_queue_backlog` or `OOMKilled` into lower-case words
 * in one pass (no regular expression runs on sender text), with each pair of adjacent words
 * run together too (`not` `ready` → `notready`).
 */
export function wordsOf(text: string): string[] {
  const s = text.slice(0, MAX_TEXT);
  const words: string[] = [];
  let word = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (!isLower(c) && !isUpper(c) && !isDigit(c)) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    const prev = s[i - 1] ?? '';
    const next = s[i + 1] ?? '';
    // A new word starts at `aB` (camelCase) and at the last capital of `ABc` (OOMKilled).
    const boundary =
      word !== '' &&
      isUpper(c) &&
      (isLower(prev) || isDigit(prev) || (isUpper(prev) && isLower(next)));
    if (boundary) {
      words.push(word);
      word = '';
    }
    word += c.toLowerCase();
  }
  if (word) words.push(word);
  const pairs = words.slice(1).map((w, i) => words[i] + w);
  return [...words, ...pairs];
}

/**
 * Kinds already read, per configuration: an incident is re-ranked with every refresh and a
 * storm repeats a few alert names hundreds of times. Bounded by starting over.
 */
const known = new WeakMap<AlertKindConfig, Map<string, AlertKind>>();
const MAX_KNOWN = 10_000;

export function alertKind(
  alert: Pick<CorrelatedAlert, 'title' | 'labels'>,
  config: AlertKindConfig = DEFAULT_ALERT_KINDS,
): AlertKind {
  const stated = alert.labels[config.kindLabel]?.toLowerCase();
  if (stated === 'outage' || stated === 'symptom') return stated;
  const texts = [
    (alert.labels.alertname ?? alert.title).slice(0, MAX_TEXT),
    ...config.labels.map(l => (alert.labels[l] ?? '').slice(0, MAX_TEXT)),
  ];
  let byText = known.get(config);
  if (!byText) {
    byText = new Map();
    known.set(config, byText);
  }
  const key = texts.join('\n');
  let kind = byText.get(key);
  if (!kind) {
    kind = kindOfWords(new Set(texts.flatMap(wordsOf)), config);
    if (byText.size >= MAX_KNOWN) byText.clear();
    byText.set(key, kind);
  }
  return kind;
}

function kindOfWords(words: Set<string>, config: AlertKindConfig): AlertKind {
  if (config.outageWords.some(w => words.has(w.toLowerCase()))) return 'outage';
  if (config.symptomWords.some(w => words.has(w.toLowerCase())))
    return 'symptom';
  return 'neutral';
}

const RANK: Record<AlertKind, number> = { outage: 2, neutral: 1, symptom: 0 };

/** The most outage-like kind among an entity's alerts. */
export function entityKind(kinds: AlertKind[]): AlertKind {
  return kinds.reduce<AlertKind>(
    (best, k) => (RANK[k] > RANK[best] ? k : best),
    'symptom',
  );
}
