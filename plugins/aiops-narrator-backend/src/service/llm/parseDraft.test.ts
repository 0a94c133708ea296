import { MalformedAnswerError, parseDraft } from './parseDraft';

const draft = {
  summary: 'Redis (cart) is failing.',
  impact: 'Checkout is affected.',
  probableCause: 'Redis (cart).',
  evidence: [{ claim: 'RedisDown fired.', evidenceIds: ['alert:a1'] }],
  whatChanged: [],
  suggestedActions: ['Open the runbook.'],
};

describe('parseDraft', () => {
  it('reads the narrative fields only, in or out of a code block', () => {
    const answer = JSON.stringify({
      ...draft,
      severity: 'info',
      status: 'resolved',
    });
    expect(parseDraft(answer)).toEqual(draft);
    expect(parseDraft(`\`\`\`json\n${answer}\n\`\`\``)).toEqual(draft);
  });

  it.each([
    ['no JSON at all', 'Redis is down.'],
    ['broken JSON', '{"summary": "x",'],
    ['a list', '[1, 2]'],
    ['a missing field', JSON.stringify({ ...draft, summary: undefined })],
    [
      'a claim that is no text',
      JSON.stringify({ ...draft, evidence: [{ claim: 3 }] }),
    ],
  ])('rejects %s', (_, answer) => {
    expect(() => parseDraft(answer)).toThrow(MalformedAnswerError);
  });
});
