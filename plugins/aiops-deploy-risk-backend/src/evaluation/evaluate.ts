import type { DeployRiskConfig } from '../service/config';
import { FACTOR_IDS } from '../service/factors';
import { levelOf, sigmoid } from '../service/score';
import { fitLogistic, type LogisticModel } from './fit';
import {
  brierScore,
  precisionRecall,
  rocAuc,
  type PrecisionRecall,
} from './metrics';
import type { ReplayedDeploy } from './replay';

export interface Scores {
  deploys: number;
  failureRate: number;
  auc: number;
  brier: number;
  /** Predicted `high` or `blocked`. */
  atHigh: PrecisionRecall;
}

/** A model as the plugin's config: the intercept and a weight per factor id. */
export function modelAsConfig(
  model: LogisticModel,
  thresholds: DeployRiskConfig['thresholds'],
  ids: string[] = FACTOR_IDS,
): DeployRiskConfig {
  return {
    intercept: model.intercept,
    weights: Object.fromEntries(ids.map((id, i) => [id, model.weights[i]])),
    thresholds,
  };
}

/** The probability the config's logistic model gives a replayed deploy (as `scoreMeasures`). */
export function probabilityOf(
  config: DeployRiskConfig,
  d: ReplayedDeploy,
): number {
  return sigmoid(
    config.intercept +
      d.measures.reduce((s, m) => s + (config.weights[m.id] ?? 0) * m.value, 0),
  );
}

export function scoreDeploys(
  config: DeployRiskConfig,
  deploys: ReplayedDeploy[],
): Scores {
  const p = deploys.map(d => probabilityOf(config, d));
  const y = deploys.map(d => d.failed);
  return {
    deploys: deploys.length,
    failureRate: y.filter(Boolean).length / deploys.length,
    auc: rocAuc(p, y),
    brier: brierScore(p, y),
    atHigh: precisionRecall(
      deploys.map(
        (d, i) =>
          d.blocked ||
          levelOf(Math.round(p[i] * 1000) / 10, config.thresholds) === 'high',
      ),
      y,
    ),
  };
}

/** Fits the weights of `ids` (the others get 0) on `train`. */
export function fitConfig(
  train: ReplayedDeploy[],
  thresholds: DeployRiskConfig['thresholds'],
  ids: string[] = FACTOR_IDS,
): DeployRiskConfig {
  const columns = ids.map(id => FACTOR_IDS.indexOf(id));
  const model = fitLogistic(
    train.map(d => columns.map(c => d.values[c])),
    train.map(d => d.failed),
    { l2: 1 },
  );
  return modelAsConfig(model, thresholds, ids);
}
