/** Automation engine: eligibility, guardrails, stratified holdout, expected cost and measurement. */
export * from "./types";
export * from "./plan";
export * from "./measure";
export * from "./writeback";
export * from "./kinds";
export * from "./series";
export * from "./readiness";
export * from "./arms";
export * from "./arm-measure";
export * from "./bandit";
