/**
 * @jest-environment node
 */
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

// The repo's real lint configuration (this package's .eslintrc.js merged with the root one),
// as `npm run lint` applies it to every package.
const eslint = new ESLint({ cwd: resolve(__dirname, '..') });

async function regexProblems(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {
    filePath: resolve(__dirname, 'fixture.ts'),
  });
  return result.messages
    .map(message =>
      message.fatal ? `fatal: ${message.message}` : message.ruleId ?? '',
    )
    .filter(rule => rule.startsWith('regexp/') || rule.startsWith('fatal'));
}

describe('the lint rules against super-linear regexes', () => {
  jest.setTimeout(60_000);

  it('report a trailing-slash trim that backtracks quadratically', async () => {
    await expect(
      regexProblems(
        "export const trim = (url: string) => url.replace(/\\/+$/, '');\n",
      ),
    ).resolves.toEqual(['regexp/no-super-linear-move']);
  });

  it('report adjacent quantifiers that can trade characters', async () => {
    await expect(
      regexProblems(
        'export const call = (text: string) => /^\\s*f\\s+([^)]+)\\)$/.exec(text);\n',
      ),
    ).resolves.toContain('regexp/no-super-linear-backtracking');
  });

  it('leave anchored single quantifiers alone', async () => {
    await expect(
      regexProblems(
        'export const digits = (text: string) => /^\\d+$/.test(text);\n',
      ),
    ).resolves.toEqual([]);
  });
});
