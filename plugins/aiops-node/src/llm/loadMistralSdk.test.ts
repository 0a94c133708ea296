import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadMistralSdk } from './loadMistralSdk';

describe('loading the Mistral SDK', () => {
  it('loads under jest, through its registry since jest has no dynamic import() without --experimental-vm-modules', async () => {
    const { sdk, loadedBy } = await loadMistralSdk();
    expect(typeof sdk.Mistral).toBe('function');
    expect(loadedBy).toBe('jest-require');
  });

  it('loads with import() under the node transform that backstage-cli package start uses', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '-r',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        resolve(__dirname, '__testUtils__/loadProviderScript.ts'),
      ],
      { timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({ name: 'mistral', loadedBy: 'import' });
  }, 60_000);
});
