/**
 * Scaffolder actions of the AIOps suite: aiops:deploy-risk:check fails a step at or above a risk level
 *
 * @packageDocumentation
 */
export { scaffolderModuleAiops as default } from './module';
export {
  createDeployRiskCheckAction,
  DEPLOY_RISK_CHECK_ACTION_ID,
  RISK_LEVELS,
  type RiskLevel,
} from './actions/deployRiskCheck';
