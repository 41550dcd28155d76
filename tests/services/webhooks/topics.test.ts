import { describe, expect, it } from "vitest";
import { topicEnum } from "~/services/shop/install.server";
import { checkWebhookPayload } from "~/services/webhooks/payload.server";
import { isWebhookTopic, normalizeTopic, TOPICS, WEBHOOK_TOPICS } from "~/services/webhooks/topics";
import { orderPayload, refundPayload } from "../../fuzz/payloads";

/** The webhook-topic table (D29): the list, the check and the dispatch all come from `TOPICS`. */
describe("webhook-topic table", () => {
  it("lists each topic once, and every GraphQL enum form normalizes back to it", () => {
    expect(new Set(WEBHOOK_TOPICS).size).toBe(WEBHOOK_TOPICS.length);
    for (const topic of WEBHOOK_TOPICS) expect(normalizeTopic(topicEnum(topic)), topic).toBe(topic);
  });

  it("knows only its own entries (no inherited keys)", () => {
    expect(isWebhookTopic("orders/create")).toBe(true);
    expect(isWebhookTopic("toString")).toBe(false);
    expect(isWebhookTopic("some/future_topic")).toBe(false);
    expect(checkWebhookPayload("toString", { x: 1 }).handled).toBeNull();
  });

  it("hands apply the records it checked: mapped once, with the processing clock", () => {
    const now = new Date("2026-11-02T10:00:00Z");
    const { created_at: _created, processed_at: _processed, ...undated } = refundPayload(1) as Record<string, unknown>;
    const checked = checkWebhookPayload("refunds/create", undated, undefined, now);
    expect(checked.handled?.handler).toBe(TOPICS["refunds/create"]);
    expect(checked.handled?.records).toMatchObject({ orderGid: "gid://shopify/Order/1", createdAt: now.toISOString() });
  });

  it("returns the schema's output as the body (REST ids as strings), which the intake stores", () => {
    const { body } = checkWebhookPayload("orders/create", orderPayload(7));
    expect((body as { id: unknown }).id).toBe("7");
  });
});
