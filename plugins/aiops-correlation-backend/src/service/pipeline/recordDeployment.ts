import { touchNow, type CorrelationStage } from './stage';
import { activeWithEntities } from '../activeIncidents';
import { toMs } from '../time';
import { DEPLOY_LINKED_RULE } from '../rules/deployLinked';

/**
 * Remembers deployments; every open incident the deployment could be linked to (it holds the
 * deployed entity or something depending on it within `maxHops`) is re-checked.
 */
export const recordDeployment: CorrelationStage = {
  name: 'record-deployment',
  rule: DEPLOY_LINKED_RULE,
  run(draft) {
    if (draft.event.type !== 'deployment') return 'continue';
    const { deployment } = draft.event;
    draft.state.deployments = [
      ...draft.state.deployments.filter(d => d.id !== deployment.id),
      deployment,
    ].sort(
      (a, b) =>
        toMs(a.startedAt) - toMs(b.startedAt) || a.id.localeCompare(b.id),
    );
    if (deployment.resolution.status === 'resolved') {
      const dependents = draft.context.graph.downstreamDistances(
        deployment.resolution.entityRef,
        draft.context.config.topology.maxHops,
      );
      for (const inc of activeWithEntities(draft.state, dependents.keys()))
        touchNow(draft, inc);
    }
    return 'stop';
  },
};
