export type {
  BadDirection,
  DeployComparison,
  DeployComparisonOptions,
  MetricComparison,
  MetricWindows,
  Verdict,
} from './compareDeploy';
export {
  compareDeploy,
  DEPLOY_COMPARISON_DEFAULTS,
  DEPLOY_COMPARISON_METHOD,
} from './compareDeploy';
