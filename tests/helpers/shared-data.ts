import path from "node:path";

/**
 * The development data folder kept beside the repository (`<repo>/../shared/data`): public purchase
 * logs and scrubbed Shopify exports. Suites that read it skip with a message when it is absent.
 * `GROWTHPILOT_DATA_DIR` points elsewhere (the benchmarks read the same variable).
 */
export const SHARED_DATA =
  process.env.GROWTHPILOT_DATA_DIR ?? path.resolve(import.meta.dirname, "../../../shared/data");

export const sharedFile = (name: string) => path.join(SHARED_DATA, name);
