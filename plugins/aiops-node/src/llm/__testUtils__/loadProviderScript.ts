// Run by loadMistralSdk.test.ts with `node -r @backstage/cli/config/nodeTransform.cjs`, the way
// `backstage-cli package start` runs the backend: loads the provider and prints how the SDK came.
import { createMistralClient } from '../mistralProvider';

createMistralClient({
  apiKey: 'not-used',
  chatModel: 'mistral-small-latest',
  embeddingModel: 'mistral-embed',
}).then(
  client => {
    process.stdout.write(
      JSON.stringify({ name: client.name, loadedBy: client.loadedBy }),
    );
  },
  error => {
    process.stderr.write(String(error?.stack ?? error));
    process.exitCode = 1;
  },
);
