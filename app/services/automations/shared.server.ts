import { createHash } from "node:crypto";
import type { AutomationRun, PrismaClient } from "@prisma/client";
import type { AutomationType } from "../../analytics/automations";
import { ASSIGNMENT, countAssignmentsByStatus, setRunStatus, type AutomationConfig } from "../../models/automations";
import type { ShopSettings } from "../../models/shop-settings";
import type { AdminClient } from "../../shopify/admin-client.server";
import { APP_KINDS } from "./kinds";

/**
 * Discount automations: preview → run → measure (issue #6, docs/automations.md).
 *
 * A run is planned (eligibility, guardrails, stratified holdout) and persisted with every
 * customer's arm and deterministic code *before* Shopify is touched. Issuing then walks a
 * per-customer state machine (PENDING → CODE_CREATED → ISSUED), committing after each Shopify
 * step, so the same run executed twice, or resumed after userErrors, throttling or a crash, never
 * creates a second code for anyone. Holdout customers get nothing and are recorded.
 */

export interface AutomationDeps {
  prisma: PrismaClient;
  client: AdminClient;
  now?: () => Date;
  /** Test hooks: throw from one to simulate a crash at that point. */
  hooks?: {
    /** After Shopify created the discount, before the database knows its id. */
    afterCreate?: (customerGid: string) => void | Promise<void>;
    afterIssue?: (customerGid: string) => void | Promise<void>;
    /** After one batched step (issue-batch.server.ts) succeeded in Shopify, before ISSUED is committed. */
    afterBatchStep?: (step: "codes" | "metafields" | "flow", customerGids: string[]) => void | Promise<void>;
    /** After the offer-tag bulk mutation started and its id was stored, before the first poll. */
    afterTagStart?: (operationId: string) => void | Promise<void>;
  };
  /** Waits of the tag phase (bulk polling, busy backoff); the stand-in's tests move a virtual clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Upload and result-file transfers of the tag phase (default: global fetch). */
  fetch?: typeof globalThis.fetch;
  /** Customers per issuing batch (default 25; 1 = the one-by-one path, kept for the benchmark). */
  batchSize?: number;
}

export type ReadDeps = Pick<AutomationDeps, "prisma" | "now">;

export class AutomationError extends Error {
  override name = "AutomationError";
}

export { DAY_MS } from "../../analytics/time";
/** A customer whose create failed with userErrors is retried on resume at most this often. */
export const MAX_ATTEMPTS = 3;
/** Metafield keys (namespace `$app`) holding the current offer. */
export const OFFER_METAFIELD_KEYS = ["offer_code", "offer_expires_at", "offer_summary"] as const;
export const OFFER_TAG = "gp-offer";

/** Tags an issued offer adds: a generic one and one per type (Flow triggers on either). */
export function offerTags(type: AutomationType): string[] {
  return [OFFER_TAG, APP_KINDS[type].tag];
}

const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // 32 symbols, no 0/O/1/I

/**
 * The code of one customer in one run: a hash of (run, customer), so every retry of the create
 * sends the same code and Shopify's uniqueness check turns a duplicate into "taken" instead of a
 * second code. 10 symbols = 50 bits; the run id (a cuid) makes codes unguessable across shops.
 */
export function offerCode(type: AutomationType, runId: string, customerGid: string): string {
  const digest = createHash("sha256").update(`${runId}:${customerGid}`).digest();
  let out = "";
  for (let i = 0; i < 10; i++) out += ALPHABET[digest[i] % 32];
  return `${APP_KINDS[type].codePrefix}-${out}`;
}

/** A 31-bit seed (the run row stores it in a Postgres integer). */
export function seedFrom(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32LE(0) & 0x7fffffff;
}

export function clock(deps: { now?: () => Date }): Date {
  return deps.now ? deps.now() : new Date();
}

/** Error text stored on runs/assignments: messages of our typed errors carry no PII or tokens. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Settings the automation did not override. */
export function resolveConfig(config: AutomationConfig, settings: ShopSettings) {
  const codeExpiryDays = config.codeExpiryDays ?? settings.automation.codeExpiryDays;
  return {
    holdoutShare: config.holdoutShare ?? settings.automation.holdoutShare,
    codeExpiryDays,
    suppressionDays: config.suppressionDays ?? settings.automation.suppressionDays,
    measurementDays: config.measurementDays ?? codeExpiryDays + 16,
    marginShare: settings.automation.defaultMarginShare,
    horizonDays: settings.churnHorizonDays,
  };
}

/** Marks a run COMPLETED with its final tally (succeeded under `label`, and failed) in the summary. */
export async function completeRun(
  deps: AutomationDeps,
  shop: string,
  run: AutomationRun,
  label: "issued" | "written",
  succeeded: string,
) {
  const counts = await countAssignmentsByStatus(deps.prisma, shop, run.id);
  await setRunStatus(deps.prisma, shop, run.id, {
    status: "COMPLETED",
    finishedAt: clock(deps),
    summary: {
      ...(run.summary as Record<string, unknown>),
      [label]: counts[succeeded] ?? 0,
      failed: counts[ASSIGNMENT.FAILED] ?? 0,
    },
  });
}
