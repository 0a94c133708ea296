/* eslint-disable @backstage/no-relative-monorepo-imports */
import type {
  BackendFeature,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  startWithDataPlane,
  type DataPlaneWith,
} from '../../../aiops-correlation-backend/src/__testUtils__/startSuite';
import { aiopsDeployRiskPlugin, OUTCOME_TASK_ID } from '../plugin';

export {
  alertmanagerGroup,
  asService,
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  storm,
} from '../../../aiops-correlation-backend/src/__testUtils__/startSuite';

export interface DeployRiskSuite extends DataPlaneWith {
  /** Runs the outcome task once (links deployments, closes windows). */
  recordOutcomes(): Promise<void>;
}

/**
 * The real ingest, correlation and deploy-risk plugins on the demo catalog. The regression
 * detector is not installed: its API answers 404, which deploy risk reads as "no regressions".
 */
export async function startDeployRiskSuite(
  options: {
    extraFeatures?: Array<ServiceFactory | BackendFeature>;
    /** More of `aiops.*` (e.g. `deployRisk`). */
    aiops?: Record<string, unknown>;
  } = {},
): Promise<DeployRiskSuite> {
  const suite = await startWithDataPlane({
    features: [aiopsDeployRiskPlugin, ...(options.extraFeatures ?? [])],
    aiops: options.aiops,
  });
  return {
    ...suite,
    recordOutcomes: () => suite.trigger(OUTCOME_TASK_ID),
  };
}
