-- Offer tags through one bulk mutation per run (D33).
ALTER TABLE "AutomationAssignment" ADD COLUMN "tagLine" INTEGER;
ALTER TABLE "AutomationAssignment" ADD COLUMN "tagStatus" TEXT;
ALTER TABLE "AutomationAssignment" ADD COLUMN "tagError" TEXT;

CREATE TABLE "AutomationTagOperation" (
    "runId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "operationId" TEXT,
    "lines" INTEGER NOT NULL DEFAULT 0,
    "applied" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutomationTagOperation_pkey" PRIMARY KEY ("runId")
);

CREATE INDEX "AutomationTagOperation_shop_idx" ON "AutomationTagOperation"("shop");

ALTER TABLE "AutomationTagOperation" ADD CONSTRAINT "AutomationTagOperation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "AutomationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
