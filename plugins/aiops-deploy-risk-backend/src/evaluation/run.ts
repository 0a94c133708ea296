/* eslint-disable no-console */
import os from 'os';
import { DEFAULT_DEPLOY_RISK_CONFIG } from '../service/config';
import { FACTOR_IDS } from '../service/factors';
import {
  DAY,
  DEFAULT_HISTORY,
  generateHistory,
  evaluationStart,
  type HistoryOptions,
} from './generate';
import {
  fitConfig,
  probabilityOf,
  scoreDeploys,
  type Scores,
} from './evaluate';
import { brierScore, rocAuc } from './metrics';
import { replay } from './replay';

/**
 * `npm run eval:deploy-risk`: generates the seeded history, replays it, and prints the
 * numbers docs/deploy-risk.md quotes. The first TRAIN_DAYS of the evaluated period fit the
 * weights; the rest is the test period, never seen by the fit.
 */
const TRAIN_DAYS = 150;

const started = Date.now();
const load = os.loadavg();
const history = generateHistory(DEFAULT_HISTORY);
const deploys = replay(history);
const split = history.evaluatedFrom + TRAIN_DAYS * DAY;
const train = deploys.filter(d => d.at < split);
const test = deploys.filter(d => d.at >= split);
const thresholds = DEFAULT_DEPLOY_RISK_CONFIG.thresholds;

const fitted = fitConfig(train, thresholds);
const rows: Array<[string, Scores]> = [
  [
    'default weights, train months',
    scoreDeploys(DEFAULT_DEPLOY_RISK_CONFIG, train),
  ],
  [
    'default weights, test months',
    scoreDeploys(DEFAULT_DEPLOY_RISK_CONFIG, test),
  ],
  ['fitted on train, train months', scoreDeploys(fitted, train)],
  ['fitted on train, test months', scoreDeploys(fitted, test)],
];

const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`);
const f3 = (x: number) => x.toFixed(3);
const month = (t: number) => new Date(t).toISOString().slice(0, 10);

console.log(`# Deploy-risk evaluation (seed ${DEFAULT_HISTORY.seed})\n`);
console.log(
  `${history.services.length} services (${
    history.services.filter(s => s.isNew).length
  } created during the history), ${
    history.deploys.length
  } deploys generated of which ${deploys.length} assessed from ${month(
    history.evaluatedFrom,
  )} to ${month(history.evaluatedTo)} (after ${
    DEFAULT_HISTORY.warmupDays
  } days of record), ${history.incidents.length} incidents, ${
    history.regressions.length
  } regressions.`,
);
console.log(
  `Train: ${train.length} deploys (${month(history.evaluatedFrom)} – ${month(
    split,
  )}); test: ${test.length} deploys (${month(split)} – ${month(
    history.evaluatedTo,
  )}). Recorded failure rate ${pct(
    deploys.filter(d => d.failed).length / deploys.length,
  )}, of which the change itself failed in ${pct(
    deploys.filter(d => d.failed && d.caused).length /
      Math.max(1, deploys.filter(d => d.failed).length),
  )}; ${
    deploys.filter(d => d.blocked).length
  } assessments blocked by policy (hotfixes in a freeze or under a critical incident).\n`,
);

console.log(
  '| model, period | deploys | failure rate | ROC AUC | Brier | precision at high | recall at high | flagged |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, s] of rows) {
  console.log(
    `| ${name} | ${s.deploys} | ${pct(s.failureRate)} | ${f3(s.auc)} | ${f3(
      s.brier,
    )} | ${pct(s.atHigh.precision)} | ${pct(s.atHigh.recall)} | ${
      s.atHigh.flagged
    } |`,
  );
}

const trainRate = train.filter(d => d.failed).length / train.length;
const testY = test.map(d => d.failed);
console.log(
  `\nReference points on the test months: predicting the train failure rate for every deploy has Brier ${f3(
    brierScore(
      test.map(() => trainRate),
      testY,
    ),
  )}; the generator's hidden probability that the change fails ranks the recorded outcomes with AUC ${f3(
    rocAuc(
      test.map(d => d.probability),
      testY,
    ),
  )} and the changes that themselves failed with AUC ${f3(
    hiddenCeiling(test),
  )}, the best any model can rank which changes themselves fail; the recorded outcome adds incidents no change caused.\n`,
);

// Calibration: does a score of 20 fail about one time in five?
console.log(
  '| score band (fitted, test months) | deploys | mean score | observed failure rate |',
);
console.log('|---|---:|---:|---:|');
for (const [low, high] of [
  [0, 5],
  [5, 10],
  [10, 15],
  [15, 20],
  [20, 30],
  [30, 101],
]) {
  const band = test.filter(d => {
    const score = probabilityOf(fitted, d) * 100;
    return score >= low && score < high;
  });
  if (band.length === 0) continue;
  console.log(
    `| ${low}–${Math.min(100, high)} | ${band.length} | ${(
      band.reduce((sum, d) => sum + probabilityOf(fitted, d) * 100, 0) /
      band.length
    ).toFixed(1)} | ${pct(band.filter(d => d.failed).length / band.length)} |`,
  );
}
console.log('');

console.log(
  '| factor | default weight | fitted weight | test AUC without it (refitted) | change |',
);
console.log('|---|---:|---:|---:|---:|');
const fullAuc = rows[3][1].auc;
for (const id of FACTOR_IDS) {
  const without = fitConfig(
    train,
    thresholds,
    FACTOR_IDS.filter(x => x !== id),
  );
  const auc = scoreDeploys(without, test).auc;
  console.log(
    `| ${id} | ${DEFAULT_DEPLOY_RISK_CONFIG.weights[id]} | ${f3(
      fitted.weights[id],
    )} | ${f3(auc)} | ${(auc - fullAuc >= 0 ? '+' : '') + f3(auc - fullAuc)} |`,
  );
}
console.log(
  `| (intercept) | ${DEFAULT_DEPLOY_RISK_CONFIG.intercept} | ${f3(
    fitted.intercept,
  )} | | |`,
);

/** How well the generator's hidden probability ranks the changes that themselves failed. */
function hiddenCeiling(assessed: typeof test): number {
  return rocAuc(
    assessed.map(d => d.probability),
    assessed.map(d => d.caused),
  );
}

/** Fitted on the train months of another history, scored on its test months. */
function testScores(options: HistoryOptions) {
  const other = replay(generateHistory(options));
  const cut = evaluationStart(options) + TRAIN_DAYS * DAY;
  const otherTest = other.filter(d => d.at >= cut);
  return {
    fitted: scoreDeploys(
      fitConfig(
        other.filter(d => d.at < cut),
        thresholds,
      ),
      otherTest,
    ),
    defaults: scoreDeploys(DEFAULT_DEPLOY_RISK_CONFIG, otherTest),
    ceiling: hiddenCeiling(otherTest),
  };
}

// The outcome definition matters as much as the model: counting incidents on transitive
// dependents makes a hub's every deploy "fail" on someone else's incident.
const transitive = testScores({
  ...DEFAULT_HISTORY,
  outcomeScope: 'transitive',
}).fitted;
console.log(
  `\nWith incidents on transitive dependents counted as failures (same seed): test failure rate ${pct(
    transitive.failureRate,
  )}, fitted test AUC ${f3(transitive.auc)}, Brier ${f3(transitive.brier)}.`,
);

// Other seeds: how much of the result is this history's luck.
console.log(
  '\n| seed | test deploys | failure rate | AUC fitted | AUC defaults | Brier fitted | hidden probability vs changes that failed, AUC |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const seed of [
  DEFAULT_HISTORY.seed,
  'deploy-risk-eval-2',
  'deploy-risk-eval-3',
]) {
  const {
    fitted: f,
    defaults,
    ceiling,
  } = seed === DEFAULT_HISTORY.seed
    ? { fitted: rows[3][1], defaults: rows[1][1], ceiling: hiddenCeiling(test) }
    : testScores({ ...DEFAULT_HISTORY, seed });
  console.log(
    `| ${seed} | ${f.deploys} | ${pct(f.failureRate)} | ${f3(f.auc)} | ${f3(
      defaults.auc,
    )} | ${f3(f.brier)} | ${f3(ceiling)} |`,
  );
}

console.log(
  `\nRan in ${((Date.now() - started) / 1000).toFixed(
    1,
  )} s; load average before the run ${load
    .map(x => x.toFixed(2))
    .join(', ')} on ${os.cpus().length} cores.`,
);
