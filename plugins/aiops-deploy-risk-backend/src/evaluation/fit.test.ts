import { seededRandom } from './random';
import { fitLogistic, predict, solve } from './fit';

describe('solve', () => {
  it('solves a small linear system', () => {
    const x = solve(
      [
        [2, 1],
        [1, 3],
      ],
      [3, 5],
    );
    expect(x[0]).toBeCloseTo(0.8);
    expect(x[1]).toBeCloseTo(1.4);
  });
});

describe('fitLogistic', () => {
  it('recovers the coefficients of data drawn from a logistic model', () => {
    const random = seededRandom('fit');
    const rows: number[][] = [];
    const outcomes: boolean[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = [random.normal(), random.normal()];
      rows.push(x);
      outcomes.push(
        random.chance(1 / (1 + Math.exp(-(-1 + 2 * x[0] - 0.5 * x[1])))),
      );
    }
    const model = fitLogistic(rows, outcomes, { l2: 0.01 });
    expect(model.intercept).toBeCloseTo(-1, 1);
    expect(model.weights[0]).toBeCloseTo(2, 1);
    expect(model.weights[1]).toBeCloseTo(-0.5, 1);
    expect(predict(model, [0, 0])).toBeCloseTo(1 / (1 + Math.E), 1);
  });
});
