import fs from 'fs';
import path from 'path';
import { generateSeries, simulateAnnotators, toTcpd } from './generate';

const dir = path.join(__dirname, '../../evaluation/generated');

describe('the generated evaluation set', () => {
  const series = generateSeries();

  it('is what the committed files hold (regenerate with writeGenerated.ts)', () => {
    const files = fs
      .readdirSync(dir)
      .filter(f => f.endsWith('.json') && f !== 'annotations.json');
    expect(files.sort()).toEqual(series.map(s => `${s.name}.json`).sort());
    for (const s of series) {
      const onDisk = JSON.parse(
        fs.readFileSync(path.join(dir, `${s.name}.json`), 'utf8'),
      );
      expect(onDisk).toEqual(toTcpd(s));
    }
    expect(
      JSON.parse(fs.readFileSync(path.join(dir, 'annotations.json'), 'utf8')),
    ).toEqual(simulateAnnotators(series));
  });

  it('has regimes of at least 30 points and annotators within 3 points of the truth', () => {
    const annotations = simulateAnnotators(series);
    for (const s of series) {
      const bounds = [0, ...s.changePoints, s.values.length];
      for (let i = 1; i < bounds.length; i++) {
        expect(bounds[i] - bounds[i - 1]).toBeGreaterThanOrEqual(30);
      }
      for (const marks of Object.values(annotations[s.name])) {
        for (const m of marks) {
          expect(
            Math.min(...s.changePoints.map(cp => Math.abs(cp - m))),
          ).toBeLessThanOrEqual(3);
        }
      }
    }
  });

  it('includes series with no change, which annotators leave empty', () => {
    const none = series.filter(s => s.category === 'none');
    expect(none.length).toBeGreaterThan(0);
    const annotations = simulateAnnotators(series);
    for (const s of none) {
      expect(Object.values(annotations[s.name]).flat()).toEqual([]);
    }
  });
});
