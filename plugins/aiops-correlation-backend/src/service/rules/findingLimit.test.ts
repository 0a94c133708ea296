import type { Finding } from '@aiops/plugin-aiops-common';
import { FINDING_LIMIT_RULE, limitFindings } from './findingLimit';

const finding = (rule: string, confidence: number): Finding => ({
  rule,
  summary: `${rule} ${confidence}`,
  evidence: [],
  confidence,
});

describe('limitFindings', () => {
  it('keeps the most convincing findings of a kind and says how many it left out', () => {
    const findings: Record<string, Finding> = {
      'root-cause': finding('topology-root-cause@3', 0.9),
    };
    for (let i = 0; i < 25; i++)
      findings[`deploy:d${String(i).padStart(2, '0')}`] = finding(
        'deploy-linked@1',
        i / 100,
      );
    const limited = limitFindings(findings, 10);
    const deploys = Object.keys(limited).filter(k => k.startsWith('deploy:'));
    expect(deploys).toHaveLength(10);
    expect(limited['deploy:d24']).toBeDefined();
    expect(limited['deploy:d15']).toBeDefined();
    expect(limited['deploy:d14']).toBeUndefined();
    expect(limited['deploy+more']).toEqual({
      rule: FINDING_LIMIT_RULE,
      summary:
        '15 more deploy-linked@1 findings not listed; the 10 most convincing are',
      evidence: [],
      confidence: 0,
    });
    expect(limited['root-cause']).toBe(findings['root-cause']);
  });

  it('does not depend on the order the findings were made in', () => {
    const entries = Array.from(
      { length: 30 },
      (_, i) => [`flapping:a${i}`, finding('flap-detection@1', 0.9)] as const,
    );
    const forward = limitFindings(Object.fromEntries(entries), 10);
    const backward = limitFindings(
      Object.fromEntries([...entries].reverse()),
      10,
    );
    expect(Object.keys(forward).sort()).toEqual(Object.keys(backward).sort());
  });

  it('leaves kinds within the limit, and keys without a kind, untouched', () => {
    const findings = {
      topology: finding('topology-grouping@2', 0.8),
      'observed:a->b': finding('observed-topology@1', 0.8),
    };
    expect(limitFindings(findings, 1)).toBe(findings);
  });
});
