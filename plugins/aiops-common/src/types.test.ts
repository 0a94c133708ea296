import { SEVERITIES, severityRank } from './types';
import { aiopsPermissions } from './permissions';

describe('severityRank', () => {
  it('orders severities from most to least urgent', () => {
    const shuffled = ['info', 'critical', 'warning', 'error'] as const;
    const sorted = [...shuffled].sort(
      (a, b) => severityRank(a) - severityRank(b),
    );
    expect(sorted).toEqual([...SEVERITIES]);
  });
});

describe('aiopsPermissions', () => {
  it('have unique, namespaced names', () => {
    const names = aiopsPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^aiops\./);
  });

  it('make incident permissions resource permissions so owners can be allowed conditionally', () => {
    const incident = aiopsPermissions.filter(p =>
      p.name.startsWith('aiops.incident.'),
    );
    expect(incident).toHaveLength(2);
    for (const p of incident) {
      expect(p).toMatchObject({
        type: 'resource',
        resourceType: 'aiops-incident',
      });
    }
  });
});
