import { instructionMatches } from '@aiops/plugin-aiops-node';
import { quote, type GroundingRule } from './rule';

export const NO_INSTRUCTIONS_RULE = 'no-instructions@1';

/*
 * The patterns live in aiops-node with the template, which uses them to skip planted alert
 * names; here they reject a narrative that carries any of them.
 */
export const noInstructions: GroundingRule = {
  id: NO_INSTRUCTIONS_RULE,
  check({ text }) {
    return instructionMatches(text).map(
      ({ what, match }) => `${what}: ${quote(match)}`,
    );
  },
};
