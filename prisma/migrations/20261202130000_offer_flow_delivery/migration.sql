-- Delivery status of each issued code through the app's Shopify Flow trigger.
ALTER TABLE "AutomationAssignment" ADD COLUMN "flowStatus" TEXT;
ALTER TABLE "AutomationAssignment" ADD COLUMN "flowError" TEXT;
