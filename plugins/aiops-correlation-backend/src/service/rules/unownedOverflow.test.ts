import type { Alert } from '@aiops/plugin-aiops-common';
import { alert, at, shopGraph } from '../__testUtils__/builders';
import { correlateAll } from '../correlate';
import { correlationConfig } from '../config';

const unowned = (id: string, name: string, minute: number): Alert =>
  alert(id, undefined, { title: name, start: minute, severity: 'warning' });

describe('unowned overflow', () => {
  it('bounds the unowned incidents a sender of new alert names can open', () => {
    const events = ['A', 'B', 'C', 'D', 'E', 'A'].map((name, i) => ({
      type: 'alert' as const,
      at: at(i),
      alert: unowned(`u${i}`, `Noise${name}`, i),
    }));
    const { state, decisions } = correlateAll(events, {
      graph: shopGraph(),
      config: correlationConfig({ unowned: { maxOpenIncidents: 2 } }),
      silences: [],
    });
    const opened = decisions.filter(d => d.type === 'open-incident');
    // Two kinds of their own, then one overflow incident for the source.
    expect(opened).toHaveLength(3);
    const incidentOf = (id: string) => state.alerts[id].incidentId;
    expect(incidentOf('u3')).toBe(incidentOf('u2'));
    expect(incidentOf('u4')).toBe(incidentOf('u2'));
    // A kind that has its own incident still joins it.
    expect(incidentOf('u5')).toBe(incidentOf('u0'));
    expect(state.alerts.u3.joinedBy).toEqual({
      rule: 'unowned-overflow@1',
      reason:
        '2 unowned incidents are open: grouped with the other unowned alerts of alertmanager',
    });
  });

  it('leaves unowned alerts alone below the bound', () => {
    const events = ['A', 'B', 'C'].map((name, i) => ({
      type: 'alert' as const,
      at: at(i),
      alert: unowned(`u${i}`, `Noise${name}`, i),
    }));
    const { decisions } = correlateAll(events, {
      graph: shopGraph(),
      config: correlationConfig(),
      silences: [],
    });
    expect(decisions.filter(d => d.type === 'open-incident')).toHaveLength(3);
  });
});
