import type { PrismaClient } from "@prisma/client";
import type { z } from "zod";
import type { JobQueue } from "~/jobs/types";

/** What a topic's `apply` knows about the delivery besides its records. */
export interface TopicContext {
  shop: string;
  webhookId: string;
  /** The processing time (the injected clock). */
  now: Date;
  /** X-Shopify-Triggered-At, or `now` when the header is absent. */
  triggeredAt: Date;
}

/** `apply` runs inside the delivery's transaction: `prisma` is that transaction. */
export interface ApplyDeps {
  prisma: PrismaClient;
}

/**
 * One subscribed webhook topic: the signed REST body's schema, the mapping to the records the
 * models write, and the write itself. `processWebhook` and the intake derive everything from the
 * table (`TOPICS` in ./index.ts): the subscription list, the pre-write check and the dispatch.
 *
 * Declared with method syntax on purpose: TypeScript compares method parameters bivariantly, so
 * every `TopicHandler<Body, Records>` fits the table's `TopicHandler` while {@link defineTopic}
 * still checks each entry's body → records → apply chain with its own types.
 */
export interface TopicHandler<Body = unknown, Records = unknown> {
  /** The body as Shopify sends it; its output (ids as strings) is what `map` reads and the inbox stores. */
  schema: z.ZodType<Body, z.ZodTypeDef, unknown>;
  /** The shop the signed body names, when it names one: it must be the (unsigned) header shop. */
  namedShop?(body: NoInfer<Body>): { field: string; domain: string } | null;
  /** Body → the records `apply` writes. Pure; may throw (bad amount, bad timestamp) → 400. */
  map(body: NoInfer<Body>, now: Date): Records;
  /** What Postgres can store (ranges, NUL bytes, timestamps), checked on `map`'s output before any write. */
  records: z.ZodType<Records, z.ZodTypeDef, unknown>;
  /** Refuses the delivery before anything is written (runs at intake and inside the transaction). */
  guard?(prisma: PrismaClient, shop: string, webhookId: string): Promise<void>;
  /** The writes; returns a summary safe to log (counts and GIDs, never personal data). */
  apply(deps: ApplyDeps, ctx: TopicContext, records: Records): Promise<Record<string, unknown>>;
  /**
   * The customer whose order history this delivery changed, read after the write commits: their
   * scores are recomputed from the last fitted models right away (D36). Absent: no rescore.
   */
  customerOf?(prisma: PrismaClient, shop: string, records: Records): Promise<string | null>;
  /** After the transaction commits: remove queued jobs that still carry erased data (redactions). */
  purgeJobs?(queue: Pick<JobQueue, "removeShopJobs">, shop: string, records: Records): Promise<void>;
}

/** Checks one entry's types (schema output → map → records → apply) where it is written. */
export function defineTopic<Body, Records>(handler: TopicHandler<Body, Records>): TopicHandler<Body, Records> {
  return handler;
}
