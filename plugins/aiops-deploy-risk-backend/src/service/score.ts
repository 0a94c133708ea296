import type { DeployRiskConfig } from './config';
import { FACTORS } from './factors';
import type {
  FactorMeasure,
  RiskInput,
  RiskLevel,
  RiskScore,
  ScoredFactor,
} from './types';

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Measures every factor on `input` and scores them; see `scoreMeasures`. */
export function assessRisk(
  input: RiskInput,
  config: DeployRiskConfig,
): RiskScore {
  return scoreMeasures(
    FACTORS.map(f => f.measure(input)),
    config,
  );
}

/**
 * A logistic model over the factors' values: P(failure) = σ(intercept + Σ weightᵢ × valueᵢ),
 * so the score is a probability ×100 that the evaluation can check for calibration (Brier).
 * Each factor's contribution is its term in the log-odds. The level comes from the score's
 * thresholds, except that explicit policy (a freeze, a critical incident on the entity) makes
 * it `blocked` whatever the score.
 */
export function scoreMeasures(
  measures: FactorMeasure[],
  config: DeployRiskConfig,
): RiskScore {
  const factors: ScoredFactor[] = measures
    .map(m => {
      const weight = config.weights[m.id] ?? 0;
      return {
        id: m.id,
        version: m.version,
        label: m.label,
        value: m.value,
        weight,
        contribution: round(weight * m.value),
        explanation: m.explanation,
      };
    })
    .sort(
      (a, b) => b.contribution - a.contribution || a.id.localeCompare(b.id),
    );
  const logOdds =
    config.intercept + factors.reduce((s, f) => s + f.weight * f.value, 0);
  const probability = sigmoid(logOdds);
  const score = Math.round(probability * 1000) / 10;
  const blockedBy = measures
    .filter(m => m.block)
    .map(m => m.block as string)
    .sort();
  const level: RiskLevel = blockedBy.length
    ? 'blocked'
    : levelOf(score, config.thresholds);
  return {
    score,
    probability,
    level,
    factors,
    recommendation: recommend(level, factors, blockedBy),
    blockedBy,
    ruleVersions: measures.map(m => m.version).sort(),
  };
}

export function levelOf(
  score: number,
  thresholds: DeployRiskConfig['thresholds'],
): Exclude<RiskLevel, 'blocked'> {
  if (score >= thresholds.high) return 'high';
  if (score >= thresholds.medium) return 'medium';
  return 'low';
}

function recommend(
  level: RiskLevel,
  factors: ScoredFactor[],
  blockedBy: string[],
): string {
  const drivers = factors
    .filter(f => f.contribution > 0)
    .slice(0, 2)
    .map(f => f.label.toLowerCase());
  const because = drivers.length
    ? `, mostly from ${drivers.join(' and ')}`
    : '';
  switch (level) {
    case 'blocked':
      return `Do not deploy: ${blockedBy.join('; ')}.`;
    case 'high':
      return `Hold the deploy or ship it with someone watching and a rollback ready: the risk is high${because}.`;
    case 'medium':
      return `Deploy with care and watch the first minutes: the risk is elevated${because}.`;
    default:
      return 'Deploy as usual: no factor raises the risk much.';
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
