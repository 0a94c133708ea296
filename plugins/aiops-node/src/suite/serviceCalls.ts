import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ClientOptions,
  RequestOptions,
  TypedResponse,
} from '@aiops/plugin-aiops-common';

/**
 * Options for a client generated from a suite plugin's spec (`AiopsCorrelationApi`, …) called
 * from another backend plugin: the target's URL from discovery, and the global fetch as it is
 * at each call (tests intercept it).
 */
export function suiteClientOptions(
  discovery: DiscoveryService,
  pluginId: string,
): ClientOptions {
  return {
    discoveryApi: { getBaseUrl: () => discovery.getBaseUrl(pluginId) },
    fetchApi: {
      get fetch() {
        return globalThis.fetch;
      },
    },
  };
}

/** Calls another plugin with this plugin's own service token (no user's token is passed on). */
export async function withServiceToken<T>(
  auth: AuthService,
  pluginId: string,
  call: (options: RequestOptions) => Promise<TypedResponse<T>>,
): Promise<TypedResponse<T>> {
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: await auth.getOwnServiceCredentials(),
    targetPluginId: pluginId,
  });
  return call({ token });
}

/** The answer's body, or a `ResponseError` with the answer's status and error. */
export async function readOk<T>(response: TypedResponse<T>): Promise<T> {
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return response.json();
}
