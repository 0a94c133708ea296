import { isPagerDutyKey } from './builtInRouting';
import type { RoutingCatalog } from './route';
import { maskKey } from './targets';
import type { RoutingConfig, RoutingProblem } from './types';

/**
 * What can be found wrong before any incident: configured groups and escalation targets the
 * catalog does not know, and groups whose configured channels cannot work.
 */
export function checkRoutingConfig(
  config: RoutingConfig,
  catalog: RoutingCatalog,
): RoutingProblem[] {
  const problems: RoutingProblem[] = [];
  for (const route of Object.values(config.groups)) {
    if (route.slackChannel && !config.slack.botToken && !config.slack.webhook) {
      problems.push({
        key: 'slack-transport',
        message: `Slack channel ${route.slackChannel} is configured for ${route.group}, but aiops.routing.slack has neither botToken nor webhookUrl`,
      });
    }
    const key = route.pagerDutyIntegrationKey;
    if (key !== undefined && !isPagerDutyKey(key)) {
      problems.push({
        key: `pagerduty-key:${route.group}`,
        message: `The PagerDuty integration key configured for ${
          route.group
        } (${maskKey(key)}) is not a 32-character Events v2 key`,
      });
    }
  }
  const requireGroup = (ref: string, where: string) => {
    if (catalog.get(ref)?.kind !== 'group') {
      problems.push({
        key: `unknown-group:${ref}`,
        message: `${where} names ${ref}, which is not a Group in the catalog`,
      });
    }
  };
  if (config.fallbackGroup) {
    requireGroup(config.fallbackGroup, 'aiops.routing.fallbackGroup');
  }
  for (const group of Object.keys(config.groups)) {
    requireGroup(group, 'aiops.routing.groups');
  }
  for (const policy of Object.values(config.escalationPolicies)) {
    for (const step of policy.steps) {
      for (const target of step.notify) {
        if (target.type === 'group') {
          requireGroup(target.ref, `Escalation policy "${policy.name}"`);
        }
      }
    }
  }
  return problems;
}
