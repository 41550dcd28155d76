-- Customer tags/consent are kept current by their own webhooks since API 2025-01 (customers/update
-- no longer carries them): clocks make those webhooks order-independent.
ALTER TABLE "Customer" ADD COLUMN "marketingUpdatedAt" TIMESTAMP(3);
ALTER TABLE "Customer" ADD COLUMN "tagsAsOf" TIMESTAMP(3);
ALTER TABLE "Customer" ADD COLUMN "tagClock" JSONB NOT NULL DEFAULT '{}';

-- X-Shopify-Triggered-At of each applied delivery.
ALTER TABLE "WebhookEvent" ADD COLUMN "triggeredAt" TIMESTAMP(3);

-- Verified webhook bodies waiting for the worker (the Redis job carries only the webhook id).
CREATE TABLE "WebhookInbox" (
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookInbox_pkey" PRIMARY KEY ("shop","webhookId")
);

-- Refunds each order row already counts (refunds/create at the order's own timestamp is decided by id).
ALTER TABLE "Order" ADD COLUMN "refundGids" TEXT[] DEFAULT ARRAY[]::TEXT[];
