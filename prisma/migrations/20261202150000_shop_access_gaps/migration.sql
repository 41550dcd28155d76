-- Access the shop has not granted (protected customer fields, read_all_orders), recorded by the sync.
ALTER TABLE "Shop" ADD COLUMN "accessGaps" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
