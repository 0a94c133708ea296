import { clock, duration, list, plural } from '../format';
import { ROOT_CAUSE_RULE, type NarrativeFacts } from '../facts';
import type { NarrativeClaim } from '../types';
import { firstAlertPhrase, label, nameOf, plain, STATUS_WORDS } from './names';

/** Claims per kind and in all; an incident of any size gives a page, not a log. */
const MAX_PER_KIND = 3;
const MAX_ENTITIES = 5;
const MAX_CLAIMS = 15;
const MAX_CITED_ALERTS = 5;
/** Findings whose subject the claims above already state in the narrator's words. */
const COVERED_RULES = [ROOT_CAUSE_RULE, 'deploy-linked@', 'regression-linked@'];

/** One claim per fact worth stating, each citing the evidence ids it rests on. */
export function evidenceOf(facts: NarrativeFacts): NarrativeClaim[] {
  const claims: NarrativeClaim[] = [];
  const { rootCause } = facts;
  if (rootCause) {
    claims.push({
      claim: `${label(
        facts,
        rootCause.entityRef,
      )} ranks first among the root cause candidates, with score ${
        rootCause.score
      }.`,
      evidenceIds: [
        ...(rootCause.findingId ? [rootCause.findingId] : []),
        ...rootCause.evidenceIds,
      ].slice(0, 10),
    });
  }
  for (const d of facts.deployments.slice(-MAX_PER_KIND)) {
    const status = STATUS_WORDS[d.status] ? ` (${STATUS_WORDS[d.status]})` : '';
    const what =
      d.source === 'pagerduty-change'
        ? `${nameOf(facts, d.entityRef)} changed at ${clock(d.startedAt)}`
        : `${nameOf(facts, d.entityRef)} ${
            d.version
          }${status} was deployed at ${clock(d.startedAt)}`;
    const lead =
      d.firstAlert && d.firstAlert.leadMs >= 0
        ? `, ${duration(d.firstAlert.leadMs)} before ${firstAlertPhrase(
            facts,
            d,
          )}`
        : '';
    claims.push({
      claim: `${what}${lead}.`,
      evidenceIds: [d.id, ...(d.firstAlert ? [d.firstAlert.alertId] : [])],
    });
  }
  for (const r of facts.regressions.slice(0, MAX_PER_KIND)) {
    claims.push({
      claim: `${r.metric} of ${label(facts, r.entityRef)} ${
        r.direction === 'increase' ? 'rose' : 'fell'
      } by ${r.percent}% (${r.before} to ${r.after}) from ${clock(
        r.changePointAt,
      )}.`,
      evidenceIds: [r.id, ...(r.deploymentId ? [r.deploymentId] : [])],
    });
  }
  for (const e of facts.entities
    .filter(x => x.alertCount > 0)
    .slice(0, MAX_ENTITIES)) {
    const names = e.alertNames.map(plain).filter((n): n is string => !!n);
    const alertIds = facts.alerts
      .filter(a => a.entityRef === e.ref)
      .slice(0, MAX_CITED_ALERTS)
      .map(a => a.id);
    claims.push({
      claim: `${e.label} raised ${plural(e.alertCount, 'alert')}${
        e.firstAlertAt ? ` from ${clock(e.firstAlertAt)}` : ''
      }${names.length > 0 ? ` (${list(names, 3)})` : ''}.`,
      evidenceIds: alertIds.length > 0 ? alertIds : [e.ref],
    });
  }
  for (const f of facts.findings) {
    if (COVERED_RULES.some(rule => f.rule.startsWith(rule))) continue;
    const summary = plain(f.summary);
    if (!summary) continue;
    claims.push({
      claim: /[.!?]$/.test(summary) ? summary : `${summary}.`,
      evidenceIds: [f.id],
    });
  }
  return claims.slice(0, MAX_CLAIMS);
}
