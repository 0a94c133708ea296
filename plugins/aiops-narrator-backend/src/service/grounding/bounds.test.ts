import { problemsOf } from '../__testUtils__/grounding';
import { narrativeBounds, NARRATIVE_LIMITS } from './bounds';
import { scanMentions } from '@aiops/plugin-aiops-node';
import { cartVocabulary } from '../__testUtils__/grounding';

describe('narrative-bounds', () => {
  it('accepts a sentence', () => {
    expect(problemsOf(narrativeBounds, 'cart is affected.')).toEqual([]);
  });

  it('rejects empty and overlong texts', () => {
    expect(problemsOf(narrativeBounds, ' ')).toEqual(['is empty']);
    expect(
      problemsOf(narrativeBounds, 'x'.repeat(NARRATIVE_LIMITS.textLength + 1)),
    ).toHaveLength(1);
  });

  it('rejects items beyond what a section allows', () => {
    const text = 'cart is affected.';
    expect(
      narrativeBounds.check(
        {
          section: 'suggestedActions',
          index: 10,
          text,
          mentions: scanMentions(text),
        },
        cartVocabulary(),
      ),
    ).toEqual(['is item 11 of suggestedActions, which allows 10']);
  });
});
