-- Shopify plan name, refreshed on every authentication (afterAuth).
ALTER TABLE "Shop" ADD COLUMN "planName" TEXT;
