import { ChangePointMethod } from '../service/changepoints';
import { finiteSeries } from '../service/validation';
import { Annotations, covering, fMeasure } from './metrics';

/** One dataset's scores. */
export interface DatasetScore {
  name: string;
  nObs: number;
  predicted: number[];
  f1: number;
  precision: number;
  recall: number;
  cover: number;
}

export interface EvaluationReport {
  method: string;
  datasets: DatasetScore[];
  /** Datasets not scored, with why: multivariate, or values that are not finite numbers. */
  skipped: Array<{ name: string; reason: string }>;
  /** Means over datasets, as TCPDBench aggregates. */
  f1: number;
  cover: number;
}

/** A TCPDBench dataset file. */
export interface TcpdDataset {
  name?: string;
  n_dim?: number;
  series: Array<{ raw: unknown }>;
}

/** TCPDBench's F1 margin: a prediction within 5 points of an annotation counts. */
export const MARGIN = 5;

/**
 * Runs `method` with its defaults on every dataset and scores it with TCPDBench's F1
 * (margin 5) and covering against the annotations. The detector is univariate, so a
 * multivariate dataset is skipped, as is one with missing values (TCPDBench's uk_coal_employ
 * has two): both are listed with the reason rather than scored on a guess. A dataset with no
 * annotations is a broken setup and throws, naming it.
 */
export function evaluateMethod(
  method: ChangePointMethod,
  datasets: Array<{ name: string; data: TcpdDataset }>,
  annotations: Record<string, Annotations>,
): EvaluationReport {
  const skipped: EvaluationReport['skipped'] = [];
  const scores: DatasetScore[] = [];
  for (const { name, data } of datasets) {
    const marks = annotations[name];
    if (!marks || Object.keys(marks).length === 0) {
      throw new Error(`${name}: no annotations for this dataset`);
    }
    const dims = data.series?.length ?? 0;
    if (dims !== 1 || (data.n_dim ?? 1) !== 1) {
      skipped.push({
        name,
        reason: `${dims} dimensions; the detector is univariate`,
      });
      continue;
    }
    let values: Float64Array;
    try {
      values = finiteSeries('series[0].raw', data.series[0].raw, 1);
    } catch (e) {
      skipped.push({ name, reason: (e as Error).message });
      continue;
    }
    const predicted = method.detect(values).map(c => c.index);
    const f = fMeasure(marks, predicted, MARGIN);
    scores.push({
      name,
      nObs: values.length,
      predicted,
      f1: f.f,
      precision: f.precision,
      recall: f.recall,
      cover: covering(marks, predicted, values.length),
    });
  }
  const mean = (pick: (s: DatasetScore) => number) =>
    scores.reduce((sum, s) => sum + pick(s), 0) / Math.max(1, scores.length);
  return {
    method: method.name,
    datasets: scores,
    skipped,
    f1: mean(s => s.f1),
    cover: mean(s => s.cover),
  };
}

/** Groups of datasets by name without a trailing _NN (the generated set's categories). */
export function byGroup(
  report: EvaluationReport,
): Array<{ group: string; count: number; f1: number; cover: number }> {
  const groups = new Map<string, DatasetScore[]>();
  for (const s of report.datasets) {
    const g = s.name.replace(/_\d+$/, '');
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  return [...groups].map(([group, list]) => ({
    group,
    count: list.length,
    f1: list.reduce((a, s) => a + s.f1, 0) / list.length,
    cover: list.reduce((a, s) => a + s.cover, 0) / list.length,
  }));
}

export function formatReport(report: EvaluationReport): string {
  const f = (x: number) => x.toFixed(3);
  const lines = [
    `method ${report.method}, default parameters, F1 margin ${MARGIN}`,
    'dataset                      n    F1     P      R      cover  predicted',
    ...report.datasets.map(
      s =>
        `${s.name.padEnd(26)} ${String(s.nObs).padStart(4)}  ${f(s.f1)}  ${f(
          s.precision,
        )}  ${f(s.recall)}  ${f(s.cover)}  [${s.predicted.join(', ')}]`,
    ),
    '',
    'group                      count  F1     cover',
    ...byGroup(report).map(
      g =>
        `${g.group.padEnd(26)} ${String(g.count).padStart(4)}   ${f(g.f1)}  ${f(
          g.cover,
        )}`,
    ),
    ...report.skipped.map(s => `skipped ${s.name}: ${s.reason}`),
    '',
    `mean over ${report.datasets.length} datasets: F1 ${f(
      report.f1,
    )}, covering ${f(report.cover)}`,
  ];
  return lines.join('\n');
}
