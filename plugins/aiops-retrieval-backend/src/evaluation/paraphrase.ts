import type { Random } from './random';

/**
 * Words and phrases responders use interchangeably. Each set's members replace each other;
 * identifiers (alert names, entity names) are never in a set, so they stay as they are.
 */
const SYNONYMS: string[][] = [
  ['failing', 'failed', 'broken', 'erroring'],
  ['errors', 'failures', 'exceptions'],
  ['error rate', 'failure rate', 'error ratio'],
  ['slow', 'sluggish', 'degraded', 'laggy'],
  ['latency', 'response time', 'delay'],
  ['disk', 'volume', 'storage'],
  ['full', 'exhausted', 'at capacity'],
  ['database', 'DB', 'datastore'],
  ['restarted', 'bounced', 'recycled'],
  ['restart', 'bounce', 'recycle'],
  ['rolled back', 'reverted', 'backed out'],
  ['rollback', 'revert', 'back-out'],
  ['deploy', 'release', 'rollout'],
  ['deployment', 'release', 'rollout'],
  ['pods', 'containers', 'instances'],
  ['users', 'customers', 'people'],
  ['timing out', 'hanging', 'stalling'],
  ['certificate', 'cert', 'TLS cert'],
  ['expired', 'lapsed', 'ran out'],
  ['queue', 'backlog'],
  ['raised', 'increased', 'bumped'],
  ['memory', 'RAM'],
  ['unavailable', 'down', 'unreachable'],
  ['fixed', 'repaired', 'sorted out'],
  ['cannot', "can't", 'unable to'],
  ['connections', 'conns'],
  ['scaled', 'scaled out'],
  ['credentials', 'creds', 'secrets'],
  ['job', 'batch', 'task'],
  ['missing', 'absent', 'gone'],
  ['spike', 'surge', 'jump'],
  ['stuck', 'blocked', 'wedged'],
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Longest phrase first, so `error rate` is seen before `errors` could be; never inside an
 * identifier (`orders-db`, `api.shop.example`, `pg_wal`).
 */
const PATTERNS = SYNONYMS.map(set => ({
  set,
  pattern: new RegExp(
    `(?<![\\w./-])(${[...set]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|')})(?![\\w/-])`,
    'gi',
  ),
}));

/**
 * Rewords a text as another responder might: each phrase of a synonym set is replaced by
 * another member with probability `p`, keeping an initial capital. Deterministic for a
 * generator state.
 */
export function paraphrase(random: Random, text: string, p = 0.6): string {
  let result = text;
  for (const { set, pattern } of PATTERNS)
    result = result.replace(pattern, found => {
      if (random() >= p) return found;
      const others = set.filter(s => s.toLowerCase() !== found.toLowerCase());
      const chosen = others[Math.floor(random() * others.length)];
      return found[0] === found[0].toUpperCase() &&
        found[0] !== found[0].toLowerCase()
        ? chosen[0].toUpperCase() + chosen.slice(1)
        : chosen;
    });
  return result;
}
