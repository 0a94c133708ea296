import type { Factor } from '../types';

export const CHANGE_SIZE_FACTOR = 'change-size@1';

/**
 * log10 of the lines changed, minus 2, so a 100-line change is 0, a 1,000-line change 1 and a
 * one-liner -2. Without diff stats a typical 100-line change is assumed: an unknown change is
 * neither rewarded nor punished.
 */
export const changeSize: Factor = {
  id: 'change-size',
  version: CHANGE_SIZE_FACTOR,
  measure(input) {
    const diff = input.request.diffStats;
    if (!diff) {
      return {
        id: this.id,
        version: this.version,
        label: 'Change size',
        value: 0,
        explanation:
          'No diff statistics were given, so a typical 100-line change is assumed.',
      };
    }
    const lines =
      Math.max(0, diff.linesAdded || 0) + Math.max(0, diff.linesDeleted || 0);
    return {
      id: this.id,
      version: this.version,
      label: 'Change size',
      value: Math.round((Math.log10(1 + lines) - 2) * 1000) / 1000,
      explanation: `${lines} lines changed in ${diff.filesChanged} files.`,
    };
  },
};
