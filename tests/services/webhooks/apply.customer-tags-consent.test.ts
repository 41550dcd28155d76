import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";
import { upsertCustomers } from "~/models/customers.server";
import { customerFromGraphql } from "~/shopify/records/customers";
import { processWebhook } from "~/services/webhooks/apply.server";

/**
 * Since API 2025-01 customer tags and email consent arrive only on their own topics
 * (customer.tags_added / customer.tags_removed, customers_email_marketing_consent/update), in any
 * order. Stored tags and consent must converge whatever the delivery order, and a full record
 * (bulk sync) only wins over events that are older than it.
 */
const SHOP = "tags.myshopify.com";
let seq = 0;
const GID = (n: number) => `gid://shopify/Customer/${n}`;
const tagEvent = (n: number, added: boolean, tags: string[], occurredAt: string) => ({
  shop: SHOP,
  topic: added ? "customer.tags_added" : "customer.tags_removed",
  webhookId: `t-${++seq}`,
  payload: { customerId: GID(n), tags, occurredAt },
});
const consentEvent = (n: number, state: string, at: string | null, triggeredAt = "2026-11-01T00:00:00Z") => ({
  shop: SHOP,
  topic: "customers_email_marketing_consent/update",
  webhookId: `c-${++seq}`,
  triggeredAt,
  payload: {
    customer_id: String(n),
    email_address: "x@example.com",
    email_marketing_consent: { state, opt_in_level: null, consent_updated_at: at },
  },
});
const customerUpdate = (n: number, updatedAt: string) => ({
  shop: SHOP,
  topic: "customers/update",
  webhookId: `u-${++seq}`,
  payload: {
    id: n,
    admin_graphql_api_id: GID(n),
    email: "x@example.com",
    first_name: "X",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: updatedAt,
  },
});

describe.each(testDbKinds)("customer tags and consent (%s)", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db?.drop());
  const deps = () => ({ prisma: db.prisma });
  const row = (n: number) => db.prisma.customer.findUniqueOrThrow({ where: { shop_gid: { shop: SHOP, gid: GID(n) } } });

  it("tag events converge whatever the delivery order", async () => {
    const events = [
      tagEvent(1, true, ["vip", "gold"], "2026-11-01T10:00:00Z"),
      tagEvent(1, false, ["gold"], "2026-11-01T11:00:00Z"),
      tagEvent(1, true, ["gold"], "2026-11-01T12:00:00Z"),
      tagEvent(1, false, ["vip"], "2026-11-01T13:00:00Z"),
    ];
    for (const [n, order] of [
      [1, [0, 1, 2, 3]],
      [2, [3, 2, 1, 0]],
      [3, [1, 3, 0, 2]],
    ] as const) {
      for (const i of order)
        await processWebhook(deps(), {
          ...events[i],
          webhookId: `o${n}-${i}`,
          payload: { ...events[i].payload, customerId: GID(n) },
        });
      expect((await row(n)).tags, `order ${order}`).toEqual(["gold"]);
    }
  });

  it("a tag event before customers/create keeps its tags when the customer arrives", async () => {
    await processWebhook(deps(), tagEvent(4, true, ["early"], "2026-11-01T10:00:00Z"));
    await processWebhook(deps(), customerUpdate(4, "2026-11-01T09:00:00Z"));
    const r = await row(4);
    expect([r.tags, r.email, r.firstName]).toEqual([["early"], "x@example.com", "X"]);
  });

  it("customers/update without tags/consent keeps both; a full record resets tags, newer events stay applied", async () => {
    await processWebhook(deps(), customerUpdate(5, "2026-11-01T00:00:00Z"));
    await processWebhook(deps(), tagEvent(5, true, ["a"], "2026-11-02T00:00:00Z"));
    await processWebhook(deps(), consentEvent(5, "subscribed", "2026-11-02T00:00:00Z"));
    await processWebhook(deps(), customerUpdate(5, "2026-11-03T00:00:00Z"));
    expect([(await row(5)).tags, (await row(5)).marketingState]).toEqual([["a"], "SUBSCRIBED"]);
    // Bulk sync: Shopify's full list as of 11-04 has "b" only; a removal of "b" at 11-05 arrived before it.
    await processWebhook(deps(), tagEvent(5, false, ["b"], "2026-11-05T00:00:00Z"));
    const node = {
      id: GID(5),
      tags: ["b"],
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-11-04T00:00:00Z",
      defaultEmailAddress: { emailAddress: "x@example.com", marketingState: "UNSUBSCRIBED" },
    };
    await upsertCustomers(db.prisma, SHOP, [customerFromGraphql(node)]);
    expect([(await row(5)).tags, (await row(5)).marketingState]).toEqual([[], "UNSUBSCRIBED"]);
    // A tag event older than the full list is stale.
    await processWebhook(deps(), tagEvent(5, true, ["old"], "2026-11-03T12:00:00Z"));
    expect((await row(5)).tags).toEqual([]);
  });

  it("consent: an older consent change never overwrites a newer one; null consent_updated_at uses the trigger time", async () => {
    await processWebhook(deps(), consentEvent(6, "subscribed", "2026-11-02T00:00:00Z"));
    await processWebhook(deps(), consentEvent(6, "unsubscribed", "2026-11-01T00:00:00Z"));
    expect((await row(6)).marketingState).toBe("SUBSCRIBED");
    await processWebhook(deps(), consentEvent(6, "unsubscribed", null, "2026-11-03T00:00:00Z"));
    expect((await row(6)).marketingState).toBe("UNSUBSCRIBED");
  });
});
