/**
 * Automations, their runs and per-customer assignments, and the read models planning and
 * measurement need — one module per concern, re-exported here so callers import
 * `models/automations`. Every query is scoped by `shop`.
 */
export * from "./config";
export * from "./automations.server";
export * from "./runs.server";
export * from "./assignments.server";
export * from "./flow.server";
export * from "./facts.server";
export * from "./results.server";
