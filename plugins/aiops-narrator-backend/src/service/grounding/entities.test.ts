import { problemsOf } from '../__testUtils__/grounding';
import { knownEntities } from './entities';
import { buildVocabulary } from './vocabulary';
import { buildNarrativeFacts } from '@aiops/plugin-aiops-node';
import { cartFactsInput } from '@aiops/plugin-aiops-node/testUtils';

const check = (text: string) => problemsOf(knownEntities, text);

describe('known-entities', () => {
  it('accepts the incident entities by name, title and ref, and owners and system', () => {
    expect(
      check(
        'Redis (cart) is the most likely cause; component:default/cart and checkout are affected in Online Boutique; owned by Platform and group:default/checkout-team.',
      ),
    ).toEqual([]);
  });

  it('rejects refs of other entities', () => {
    expect(check('component:default/payment is affected.')).toEqual([
      'names "component:default/payment", which is not one of the incident\'s entities',
    ]);
  });

  it('rejects catalog names with dashes and multi-word titles anywhere', () => {
    expect(check('The errors started in payment-gateway.')).toHaveLength(1);
    expect(check('Payments Platform should look at it.')).toEqual([
      'names "payments platform", which is not one of the incident\'s entities',
    ]);
  });

  it('rejects a plain-word catalog name where it is used as an entity', () => {
    expect(check('checkout and payment are affected.')).toHaveLength(1);
    expect(check('payment 2.790.23 was deployed.')).toHaveLength(1);
    expect(check('payment is the most likely cause.')).toHaveLength(1);
    expect(check('It is owned by Payment.')).toHaveLength(1);
  });

  it('leaves a plain-word catalog name alone where it is English', () => {
    expect(
      check('The payment flow fails for cart; error rates are high.'),
    ).toEqual([]);
  });

  it('only checks refs without a catalog to compare with', () => {
    const vocabulary = buildVocabulary(buildNarrativeFacts(cartFactsInput()));
    expect(
      problemsOf(
        knownEntities,
        'payment-gateway and payment are affected.',
        undefined,
        vocabulary,
      ),
    ).toEqual([]);
  });
});

describe('known-entities in sentences a model writes', () => {
  it.each([
    'payment fired 3 alerts.',
    'payment ranks first among the candidates.',
    'Start with payment: it is the most likely cause.',
    'Look first at payment.',
  ])('rejects %j', text => {
    expect(check(text)).toHaveLength(1);
  });

  it.each([
    'A large share of payment requests fail.',
    'Caused by payment retries on cart.',
  ])('accepts %j', text => {
    expect(check(text)).toEqual([]);
  });
});
