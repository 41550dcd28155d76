-- Flow trigger lifecycle (D28): whether a workflow uses the app's trigger, and when Flow said so.
ALTER TABLE "Shop" ADD COLUMN "flowTriggerInUse" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Shop" ADD COLUMN "flowTriggerCheckedAt" TIMESTAMP(3);
