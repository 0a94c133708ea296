import type { RoutingCatalog } from './route';
import type { RoutingConfig, RoutingProblem } from './types';

/** Configured groups and escalation targets the catalog does not know, found at start. */
export function checkRoutingConfig(
  config: RoutingConfig,
  catalog: RoutingCatalog,
): RoutingProblem[] {
  const problems: RoutingProblem[] = [];
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
