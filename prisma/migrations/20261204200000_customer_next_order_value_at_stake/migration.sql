-- Next order date and value, spend per period and value at stake per customer (D34).
ALTER TABLE "CustomerScore" ADD COLUMN "nextOrderAt" TIMESTAMP(3);
ALTER TABLE "CustomerScore" ADD COLUMN "nextOrderLowAt" TIMESTAMP(3);
ALTER TABLE "CustomerScore" ADD COLUMN "nextOrderHighAt" TIMESTAMP(3);
ALTER TABLE "CustomerScore" ADD COLUMN "nextOrderValueMinor" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "CustomerScore" ADD COLUMN "spendPerPeriodMinor" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "CustomerScore" ADD COLUMN "valueAtStakeMinor" INTEGER NOT NULL DEFAULT 0;

CREATE INDEX "CustomerScore_shop_segment_valueAtStakeMinor_idx" ON "CustomerScore"("shop", "segment", "valueAtStakeMinor");
