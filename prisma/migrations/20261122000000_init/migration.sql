-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "collaborator" BOOLEAN,
    "emailVerified" BOOLEAN,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL,
    "name" TEXT,
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "ianaTimezone" TEXT,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'BULK',
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "bulkOperationId" TEXT,
    "resultUrl" TEXT,
    "linesTotal" INTEGER,
    "linesProcessed" INTEGER NOT NULL DEFAULT 0,
    "rowsUpserted" INTEGER NOT NULL DEFAULT 0,
    "watermark" TIMESTAMP(3),
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Product" (
    "shop" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "productType" TEXT NOT NULL DEFAULT '',
    "vendor" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[],
    "collections" TEXT[],
    "status" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "isGiftCard" BOOLEAN NOT NULL DEFAULT false,
    "shopifyCreated" TIMESTAMP(3) NOT NULL,
    "shopifyUpdated" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("shop","gid")
);

-- CreateTable
CREATE TABLE "Variant" (
    "shop" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "productGid" TEXT NOT NULL,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "priceMinor" INTEGER NOT NULL,
    "compareAtMinor" INTEGER,
    "costMinor" INTEGER,
    "inventoryQty" INTEGER NOT NULL DEFAULT 0,
    "inventoryPolicy" TEXT NOT NULL DEFAULT 'DENY',
    "shopifyUpdated" TIMESTAMP(3) NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Variant_pkey" PRIMARY KEY ("shop","gid")
);

-- CreateTable
CREATE TABLE "Customer" (
    "shop" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "tags" TEXT[],
    "marketingState" TEXT NOT NULL DEFAULT 'NOT_SUBSCRIBED',
    "shopifyCreated" TIMESTAMP(3) NOT NULL,
    "shopifyUpdated" TIMESTAMP(3) NOT NULL,
    "redactedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("shop","gid")
);

-- CreateTable
CREATE TABLE "Order" (
    "shop" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "customerGid" TEXT,
    "email" TEXT,
    "financialStatus" TEXT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "subtotalMinor" INTEGER NOT NULL,
    "discountMinor" INTEGER NOT NULL DEFAULT 0,
    "shippingMinor" INTEGER NOT NULL DEFAULT 0,
    "taxMinor" INTEGER NOT NULL DEFAULT 0,
    "totalMinor" INTEGER NOT NULL,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "discountCodes" TEXT[],
    "attributes" JSONB NOT NULL DEFAULT '[]',
    "shopifyCreated" TIMESTAMP(3) NOT NULL,
    "shopifyUpdated" TIMESTAMP(3) NOT NULL,
    "processedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("shop","gid")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "shop" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "productGid" TEXT,
    "variantGid" TEXT,
    "sku" TEXT,
    "name" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" INTEGER NOT NULL,
    "totalMinor" INTEGER NOT NULL,
    "refundedQty" INTEGER NOT NULL DEFAULT 0,
    "properties" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("shop","gid")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("shop","webhookId")
);

-- CreateTable
CREATE TABLE "ModelRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "asOf" TIMESTAMP(3) NOT NULL,
    "horizonDays" INTEGER NOT NULL DEFAULT 90,
    "params" JSONB NOT NULL DEFAULT '{}',
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "sufficiency" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ModelRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerScore" (
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "segment" TEXT NOT NULL,
    "cluster" INTEGER NOT NULL,
    "rfmR" INTEGER NOT NULL,
    "rfmF" INTEGER NOT NULL,
    "rfmM" INTEGER NOT NULL,
    "pPurchase" DOUBLE PRECISION NOT NULL,
    "pAlive" DOUBLE PRECISION NOT NULL,
    "expectedOrders" DOUBLE PRECISION NOT NULL,
    "churnRisk" DOUBLE PRECISION NOT NULL,
    "clvMinor" INTEGER NOT NULL,
    "clvLowMinor" INTEGER NOT NULL,
    "clvHighMinor" INTEGER NOT NULL,
    "explanation" TEXT NOT NULL,

    CONSTRAINT "CustomerScore_pkey" PRIMARY KEY ("shop","customerGid")
);

-- CreateTable
CREATE TABLE "Recommendation" (
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "items" JSONB NOT NULL,

    CONSTRAINT "Recommendation_pkey" PRIMARY KEY ("shop","kind","subject")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "SyncRun_shop_resource_startedAt_idx" ON "SyncRun"("shop", "resource", "startedAt");

-- CreateIndex
CREATE INDEX "Product_shop_shopifyUpdated_idx" ON "Product"("shop", "shopifyUpdated");

-- CreateIndex
CREATE INDEX "Variant_shop_productGid_idx" ON "Variant"("shop", "productGid");

-- CreateIndex
CREATE INDEX "Variant_shop_sku_idx" ON "Variant"("shop", "sku");

-- CreateIndex
CREATE INDEX "Customer_shop_email_idx" ON "Customer"("shop", "email");

-- CreateIndex
CREATE INDEX "Customer_shop_shopifyUpdated_idx" ON "Customer"("shop", "shopifyUpdated");

-- CreateIndex
CREATE INDEX "Order_shop_customerGid_idx" ON "Order"("shop", "customerGid");

-- CreateIndex
CREATE INDEX "Order_shop_shopifyCreated_idx" ON "Order"("shop", "shopifyCreated");

-- CreateIndex
CREATE INDEX "Order_shop_shopifyUpdated_idx" ON "Order"("shop", "shopifyUpdated");

-- CreateIndex
CREATE INDEX "OrderLine_shop_orderGid_idx" ON "OrderLine"("shop", "orderGid");

-- CreateIndex
CREATE INDEX "OrderLine_shop_productGid_idx" ON "OrderLine"("shop", "productGid");

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt");

-- CreateIndex
CREATE INDEX "ModelRun_shop_startedAt_idx" ON "ModelRun"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "CustomerScore_shop_segment_idx" ON "CustomerScore"("shop", "segment");

-- CreateIndex
CREATE INDEX "CustomerScore_shop_churnRisk_idx" ON "CustomerScore"("shop", "churnRisk");

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop"("shop") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Variant" ADD CONSTRAINT "Variant_shop_productGid_fkey" FOREIGN KEY ("shop", "productGid") REFERENCES "Product"("shop", "gid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_shop_orderGid_fkey" FOREIGN KEY ("shop", "orderGid") REFERENCES "Order"("shop", "gid") ON DELETE CASCADE ON UPDATE CASCADE;

