export interface Config {
  aiops?: {
    retrieval?: {
      /**
       * Puts the past-incident index in OpenSearch (module
       * `@aiops/plugin-aiops-retrieval-backend-module-opensearch`). Durations: ISO 8601 strings.
       */
      opensearch?: {
        /** The cluster's URL, e.g. `https://opensearch.internal:9200`. */
        node: string;
        /** The index; created with its mapping when missing. Default `aiops-incidents`. */
        index?: string;
        /** The k-NN vector's dimension: the embedder's (512 for hashed-ngrams and use-lite). */
        dimension?: number;
        username?: string;
        /** @visibility secret */
        password?: string;
        /** Per request. Default `PT10S`. */
        requestTimeout?: string;
        tls?: {
          /** Default true; false only for a test cluster with a self-signed certificate. */
          rejectUnauthorized?: boolean;
        };
      };
    };
  };
}
