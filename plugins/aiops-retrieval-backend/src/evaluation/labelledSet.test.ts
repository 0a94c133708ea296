import fs from 'node:fs';
import { LABELLED_SET_FILE } from './generate';
import { asOpened, CAUSE_GROUPS, generateLabelledSet } from './labelledSet';

describe('the labelled set', () => {
  const set = generateLabelledSet();

  it('is the committed file (regenerate with generate.ts after changing the generator)', () => {
    expect(JSON.parse(fs.readFileSync(LABELLED_SET_FILE, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(set)),
    );
  });

  it('has at least 300 incidents in at least 40 groups of at least 5, with unique ids', () => {
    expect(set.incidents.length).toBeGreaterThanOrEqual(300);
    expect(set.groups.length).toBeGreaterThanOrEqual(40);
    const sizes = new Map<string, number>();
    for (const { group } of set.incidents)
      sizes.set(group, (sizes.get(group) ?? 0) + 1);
    expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(5);
    const ids = set.incidents.map(i => i.document.incidentId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is hard: groups share entities, alert names and causes across services', () => {
    // Entities that are the primary of several different problems.
    const groupsByPrimary = new Map<string, number>();
    for (const group of CAUSE_GROUPS)
      for (const ref of group.primary)
        groupsByPrimary.set(ref, (groupsByPrimary.get(ref) ?? 0) + 1);
    expect(
      [...groupsByPrimary.values()].filter(n => n >= 4).length,
    ).toBeGreaterThanOrEqual(3);
    // Problems seen on different services.
    expect(
      CAUSE_GROUPS.filter(g => g.primary.length >= 3).length,
    ).toBeGreaterThanOrEqual(6);
    // Alert names raised by several problems.
    const groupsByAlert = new Map<string, number>();
    for (const group of CAUSE_GROUPS)
      for (const alert of group.alerts)
        groupsByAlert.set(alert, (groupsByAlert.get(alert) ?? 0) + 1);
    expect(
      [...groupsByAlert.values()].filter(n => n >= 3).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('asks as the incident was when it opened: no resolution', () => {
    const resolved = set.incidents.find(i => i.document.resolutionNote)!;
    const query = asOpened(resolved.document);
    expect(query).toMatchObject({
      incidentId: resolved.document.incidentId,
      status: 'open',
    });
    expect(query.resolutionNote).toBeUndefined();
    expect(query.resolvedAt).toBeUndefined();
    expect(query.timeToResolveMs).toBeUndefined();
  });
});
