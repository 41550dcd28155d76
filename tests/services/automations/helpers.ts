import type { DsShop } from "../../../devstore/model";
import { createTestDatabase, type TestDatabase, type TestDbKind } from "../../helpers/db";
import { startGeneratedStore } from "../sync/helpers";
import type { AutomationDeps } from "~/services/automations/shared.server";
import { runScoring } from "~/services/scoring/run.server";
import { runInitialSync } from "~/services/sync/shop-sync.server";

export type StoreEnv = Awaited<ReturnType<typeof startGeneratedStore>>;

/**
 * A generated shop in the stand-in, synced and scored into a fresh database, with a virtual
 * clock shared by the stand-in, the Admin client and the automation service (2026-03-01, two
 * months after the generated history ends — plenty of churn risk).
 */
export async function setupAutomationEnv(
  kind: TestDbKind,
  opts: {
    domain: string;
    customers?: number;
    orders?: number;
    seed?: number;
    flowTriggers?: Record<string, readonly string[]>;
  },
) {
  const db: TestDatabase = await createTestDatabase(kind);
  const env: StoreEnv = await startGeneratedStore({
    domain: opts.domain,
    seed: opts.seed ?? 11,
    customers: opts.customers ?? 400,
    orders: opts.orders ?? 1400,
    products: 25,
    flowTriggers: opts.flowTriggers,
  });
  await runInitialSync({ prisma: db.prisma, client: env.client, sleep: env.sleep }, opts.domain);
  await runScoring({ prisma: db.prisma, now: () => new Date(env.clock()) }, opts.domain);
  const deps: AutomationDeps = {
    prisma: db.prisma,
    client: env.client,
    now: () => new Date(env.clock()),
    sleep: env.sleep,
  };
  return {
    db,
    env,
    deps,
    async close() {
      await env.store.close();
      await db.drop();
    },
  };
}

/** Discounts the stand-in holds whose code starts with our prefix, by code. */
export function standInCodes(
  shop: DsShop,
): Map<
  string,
  { customerIds: string[]; usageLimit: number | null; endsAt: string | null; combines: boolean; kind: string }
> {
  const out = new Map();
  for (const c of shop.discountCodes.values()) {
    if (!c.code.startsWith("GP")) continue;
    const d = shop.discounts.get(c.discountId)!;
    const combines =
      d.combinesWith.orderDiscounts || d.combinesWith.productDiscounts || d.combinesWith.shippingDiscounts;
    out.set(c.code, { customerIds: d.customerIds, usageLimit: d.usageLimit, endsAt: d.endsAt, combines, kind: d.kind });
  }
  return out;
}
