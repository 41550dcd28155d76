-- customers/data_request: stored with its 30-day deadline and the generated export.
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "ordersRequested" TEXT[],
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "exportJson" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "DataRequest_shop_requestKey_key" ON "DataRequest"("shop", "requestKey");
CREATE INDEX "DataRequest_shop_dueAt_idx" ON "DataRequest"("shop", "dueAt");
