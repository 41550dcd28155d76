-- Ungrouped bulk output (groupObjects: false, the 2026-10 default): child lines whose parent is not
-- in the batch being written are staged per run; orphans that never meet a parent are counted.
ALTER TABLE "SyncRun" ADD COLUMN "orphanChildren" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "BulkStagedChild" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "parentGid" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "BulkStagedChild_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "BulkStagedChild_shop_runId_parentGid_idx" ON "BulkStagedChild"("shop", "runId", "parentGid");

ALTER TABLE "BulkStagedChild" ADD CONSTRAINT "BulkStagedChild_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
