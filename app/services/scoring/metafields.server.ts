import type { AdminClient } from "~/shopify/admin-client.server";
import {
  METAFIELD_DEFINITION_CREATE,
  METAFIELDS_DELETE,
  METAFIELDS_SET,
  METAFIELDS_SET_MAX_INPUTS,
} from "~/shopify/documents/metafields";
import { ShopifyUserErrors } from "~/shopify/errors.server";
import type { Db } from "~/models/db-types.server";
import {
  advanceMetafieldSyncCheckpoint,
  finishMetafieldSyncCheckpoint,
  openMetafieldSyncCheckpoint,
} from "~/models/metafield-sync.server";
import {
  countRunRecommendations,
  getRecommendations,
  listRunRecommendations,
  type RecommendationKind,
  type StoredRecommendationList,
} from "~/models/recommendations.server";
import { findStorefrontProducts } from "~/models/storefront-products.server";

/**
 * Writes a scoring run's recommendation lists to app-owned metafields, so the theme app extension
 * renders them server-side with no request and no JavaScript (docs/contracts.md §6):
 *
 *   product  $app.bought_together  list.product_reference
 *   product  $app.also_bought      list.product_reference
 *   customer $app.for_you          list.product_reference
 *
 * `metafieldsSet` takes at most 25 metafields per call and is atomic, so lists go out in chunks of
 * 25 in a fixed order; after each chunk the position is committed (a SyncRun checkpoint), so a
 * crashed or throttled-out sync resumes where it stopped. Re-sending a chunk is harmless
 * (metafieldsSet upserts, metafieldsDelete ignores missing ones). Throttling is the admin client's
 * job: it waits for the cost bucket before each call.
 *
 * Items are pre-filtered against the static storefront rules (active, published, not a gift card,
 * price > 0, not deleted); stock is left to Liquid's `product.available` at render time, which is
 * why up to {@link MAX_ITEMS_PER_METAFIELD} items are written for blocks that show 4–8.
 */

export const RECS_NAMESPACE = "$app";
export const MAX_ITEMS_PER_METAFIELD = 12;
const PAGE_SIZE = 250;

/** Which lists become which metafields (DISCOVERY stays in the app: it feeds emails, not the theme). */
export const RECS_METAFIELDS: Partial<
  Record<RecommendationKind, { key: string; ownerType: "PRODUCT" | "CUSTOMER"; name: string }>
> = {
  BOUGHT_TOGETHER: { key: "bought_together", ownerType: "PRODUCT", name: "Growthpilot: frequently bought together" },
  ALSO_BOUGHT: { key: "also_bought", ownerType: "PRODUCT", name: "Growthpilot: customers also bought" },
  FOR_YOU: { key: "for_you", ownerType: "CUSTOMER", name: "Growthpilot: recommended for you" },
};
const SYNCED_KINDS = Object.keys(RECS_METAFIELDS) as RecommendationKind[];

export interface MetafieldSyncDeps {
  prisma: Db;
  client: AdminClient;
  /** Progress/diagnostics; receives counts and codes only, never values or customer ids. */
  log?: (event: { type: string; [k: string]: unknown }) => void;
  /**
   * Where the metafield definitions come from: "toml" (default) — declared in shopify.app.toml
   * (`[product.metafields.app.bought_together]` …), Shopify creates them in every shop on deploy;
   * "api" creates them with metafieldDefinitionCreate (apps not using declarative definitions).
   */
  definitions?: "api" | "toml";
}

export interface MetafieldSyncResult {
  /** Lists handled in this call (written, deleted or skipped). */
  processed: number;
  written: number;
  deleted: number;
  /** Inputs Shopify rejected individually (e.g. the owner was deleted since the last sync). */
  skipped: number;
  /** Position the sync resumed from (0 on a fresh run). */
  resumedFrom: number;
  total: number;
}

/**
 * Creates the metafield definitions (idempotent: TAKEN means they exist). The definition is what
 * grants Liquid read access (`storefront: PUBLIC_READ`); the admin keeps its default
 * MERCHANT_READ, so merchants can see but not edit the lists.
 */
export async function ensureRecommendationMetafieldDefinitions(client: AdminClient): Promise<{ created: number }> {
  let created = 0;
  for (const def of Object.values(RECS_METAFIELDS)) {
    try {
      await client.mutate(
        METAFIELD_DEFINITION_CREATE,
        {
          definition: {
            name: def!.name,
            namespace: RECS_NAMESPACE,
            key: def!.key,
            ownerType: def!.ownerType,
            type: "list.product_reference",
            access: { storefront: "PUBLIC_READ" },
          },
        },
        "metafieldDefinitionCreate",
      );
      created++;
    } catch (error) {
      if (error instanceof ShopifyUserErrors && error.userErrors.every((e) => e.code === "TAKEN")) continue;
      throw error;
    }
  }
  return { created };
}

interface SetInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** Writes (or resumes writing) the metafields of one scoring run. */
export async function syncRecommendationMetafields(
  deps: MetafieldSyncDeps,
  shop: string,
  runId: string,
): Promise<MetafieldSyncResult> {
  const log = deps.log ?? (() => {});
  const total = await countRunRecommendations(deps.prisma, shop, runId, SYNCED_KINDS);
  const checkpoint = await openMetafieldSyncCheckpoint(deps.prisma, shop, runId, total);
  const result: MetafieldSyncResult = {
    processed: 0,
    written: checkpoint.written,
    deleted: 0,
    skipped: 0,
    resumedFrom: checkpoint.processed,
    total,
  };
  if (checkpoint.status === "COMPLETED") return result;

  try {
    if ((deps.definitions ?? "toml") === "api") await ensureRecommendationMetafieldDefinitions(deps.client);
    let offset = checkpoint.processed;
    for (;;) {
      const page = await listRunRecommendations(deps.prisma, shop, runId, {
        kinds: SYNCED_KINDS,
        skip: offset,
        take: PAGE_SIZE,
      });
      if (page.length === 0) break;
      const eligible = await findStorefrontProducts(
        deps.prisma,
        shop,
        page.flatMap((l) => l.items.map((i) => i.gid)),
      );
      for (let i = 0; i < page.length; i += METAFIELDS_SET_MAX_INPUTS) {
        const chunk = page.slice(i, i + METAFIELDS_SET_MAX_INPUTS);
        const { sets, deletes } = toOperations(chunk, (gid) => eligible.has(gid));
        if (sets.length > 0) {
          const { written, skipped } = await setMetafields(deps.client, sets, log);
          result.written += written;
          result.skipped += skipped;
        }
        if (deletes.length > 0) {
          await deps.client.mutate(METAFIELDS_DELETE, { metafields: deletes }, "metafieldsDelete");
          result.deleted += deletes.length;
        }
        offset += chunk.length;
        result.processed += chunk.length;
        await advanceMetafieldSyncCheckpoint(deps.prisma, shop, runId, offset, result.written);
        log({ type: "metafields-progress", processed: offset, total });
      }
      if (page.length < PAGE_SIZE) break;
    }
    await finishMetafieldSyncCheckpoint(deps.prisma, shop, runId, "COMPLETED");
    return result;
  } catch (error) {
    await finishMetafieldSyncCheckpoint(deps.prisma, shop, runId, "FAILED", (error as Error).message);
    throw error;
  }
}

/**
 * The `$app.for_you` metafield of one customer from their stored list, after a one-customer
 * rescore (D36): one metafieldsSet (or metafieldsDelete when nothing eligible is left), the same
 * filtering as the run's sync. Returns what it did, for the job's summary.
 */
export async function writeCustomerForYouMetafield(
  deps: Pick<MetafieldSyncDeps, "prisma" | "client" | "log">,
  shop: string,
  customerGid: string,
): Promise<"written" | "deleted" | "skipped"> {
  const items = (await getRecommendations(deps.prisma, shop, "FOR_YOU", [customerGid])).get(customerGid) ?? [];
  const eligible = await findStorefrontProducts(
    deps.prisma,
    shop,
    items.map((i) => i.gid),
  );
  const { sets, deletes } = toOperations([{ kind: "FOR_YOU", subject: customerGid, items, runId: "" }], (gid) =>
    eligible.has(gid),
  );
  if (sets.length > 0) {
    const { written } = await setMetafields(deps.client, sets, deps.log ?? (() => {}));
    return written > 0 ? "written" : "skipped";
  }
  await deps.client.mutate(METAFIELDS_DELETE, { metafields: deletes }, "metafieldsDelete");
  return "deleted";
}

/** Lists → metafieldsSet inputs, and metafieldsDelete identifiers for lists that became empty. */
export function toOperations(lists: StoredRecommendationList[], isEligible: (gid: string) => boolean) {
  const sets: SetInput[] = [];
  const deletes: { ownerId: string; namespace: string; key: string }[] = [];
  for (const list of lists) {
    const def = RECS_METAFIELDS[list.kind];
    if (!def) continue;
    const gids: string[] = [];
    for (const item of list.items) {
      if (item.gid !== list.subject && isEligible(item.gid) && !gids.includes(item.gid)) gids.push(item.gid);
      if (gids.length >= MAX_ITEMS_PER_METAFIELD) break;
    }
    if (gids.length === 0) deletes.push({ ownerId: list.subject, namespace: RECS_NAMESPACE, key: def.key });
    else
      sets.push({
        ownerId: list.subject,
        namespace: RECS_NAMESPACE,
        key: def.key,
        type: "list.product_reference",
        value: JSON.stringify(gids),
      });
  }
  return { sets, deletes };
}

/**
 * One atomic metafieldsSet call. When Shopify rejects individual inputs (elementIndex set — e.g.
 * the product was deleted after the last sync) the call is retried once without them.
 */
async function setMetafields(client: AdminClient, inputs: SetInput[], log: NonNullable<MetafieldSyncDeps["log"]>) {
  try {
    await client.mutate(METAFIELDS_SET, { metafields: inputs }, "metafieldsSet");
    return { written: inputs.length, skipped: 0 };
  } catch (error) {
    if (!(error instanceof ShopifyUserErrors)) throw error;
    const bad = new Set<number>();
    for (const e of error.userErrors) {
      const index = elementIndexOf(e);
      if (index === null) throw error;
      bad.add(index);
    }
    const rest = inputs.filter((_, i) => !bad.has(i));
    log({ type: "metafields-skipped", count: bad.size, codes: [...new Set(error.userErrors.map((e) => e.code))] });
    if (rest.length > 0) await client.mutate(METAFIELDS_SET, { metafields: rest }, "metafieldsSet");
    return { written: rest.length, skipped: bad.size };
  }
}

/** `elementIndex` is not kept by the typed error, but Shopify's `field` is ["metafields", "<i>", …]. */
function elementIndexOf(e: { field: string[] | null }): number | null {
  const i = e.field && e.field[0] === "metafields" ? Number(e.field[1]) : Number.NaN;
  return Number.isInteger(i) && i >= 0 ? i : null;
}
