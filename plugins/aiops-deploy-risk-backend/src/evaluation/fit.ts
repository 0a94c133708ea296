/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares). Small and exact for the handful of factors here; the intercept is not penalised.
 */
export interface LogisticModel {
  intercept: number;
  weights: number[];
}

export function fitLogistic(
  rows: number[][],
  outcomes: boolean[],
  options: { l2?: number; iterations?: number } = {},
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const d = (rows[0]?.length ?? 0) + 1;
  let beta = new Array<number>(d).fill(0);
  for (let iter = 0; iter < (options.iterations ?? 50); iter++) {
    const gradient = new Array<number>(d).fill(0);
    const hessian = Array.from({ length: d }, () =>
      new Array<number>(d).fill(0),
    );
    for (let n = 0; n < rows.length; n++) {
      const x = [1, ...rows[n]];
      const p = 1 / (1 + Math.exp(-dot(beta, x)));
      const residual = (outcomes[n] ? 1 : 0) - p;
      const w = p * (1 - p);
      for (let i = 0; i < d; i++) {
        gradient[i] += residual * x[i];
        for (let j = 0; j < d; j++) hessian[i][j] += w * x[i] * x[j];
      }
    }
    for (let i = 1; i < d; i++) {
      gradient[i] -= l2 * beta[i];
      hessian[i][i] += l2;
    }
    const step = solve(hessian, gradient);
    beta = beta.map((b, i) => b + step[i]);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return { intercept: beta[0], weights: beta.slice(1) };
}

export function predict(model: LogisticModel, row: number[]): number {
  return 1 / (1 + Math.exp(-(model.intercept + dot(model.weights, row))));
}

function dot(a: number[], b: number[]): number {
  return a.reduce((s, x, i) => s + x * b[i], 0);
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and SPD here). */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    }
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const p = m[col][col] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / p;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  return m.map((row, i) => row[n] / (m[i][i] || 1e-12));
}
