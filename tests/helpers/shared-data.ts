import path from "node:path";

/**
 * The development data folder kept beside the repository (`<repo>/../shared/data`): public purchase
 * logs and scrubbed Shopify exports. Suites that read it skip with a message when it is absent.
 */
export const SHARED_DATA = path.resolve(import.meta.dirname, "../../../shared/data");

export const sharedFile = (name: string) => path.join(SHARED_DATA, name);
