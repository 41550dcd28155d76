-- CreateTable
CREATE TABLE "Automation" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "schedule" TEXT NOT NULL DEFAULT 'MANUAL',
    "config" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Automation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutomationRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "automationId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PLANNED',
    "seed" INTEGER NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "summary" JSONB NOT NULL DEFAULT '{}',
    "measureUntil" TIMESTAMP(3) NOT NULL,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutomationRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutomationAssignment" (
    "shop" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "automationId" TEXT NOT NULL,
    "arm" TEXT NOT NULL,
    "stratum" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "code" TEXT,
    "discountGid" TEXT,
    "expiresAt" TIMESTAMP(3),
    "expectedCostMinor" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutomationAssignment_pkey" PRIMARY KEY ("shop","runId","customerGid")
);

-- CreateIndex
CREATE INDEX "Automation_shop_status_idx" ON "Automation"("shop", "status");

-- CreateIndex
CREATE INDEX "AutomationRun_shop_automationId_startedAt_idx" ON "AutomationRun"("shop", "automationId", "startedAt");

-- CreateIndex
CREATE INDEX "AutomationAssignment_shop_customerGid_createdAt_idx" ON "AutomationAssignment"("shop", "customerGid", "createdAt");

-- CreateIndex
CREATE INDEX "AutomationAssignment_shop_status_expiresAt_idx" ON "AutomationAssignment"("shop", "status", "expiresAt");

-- CreateIndex
CREATE INDEX "AutomationAssignment_shop_code_idx" ON "AutomationAssignment"("shop", "code");

-- AddForeignKey
ALTER TABLE "AutomationRun" ADD CONSTRAINT "AutomationRun_automationId_fkey" FOREIGN KEY ("automationId") REFERENCES "Automation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationAssignment" ADD CONSTRAINT "AutomationAssignment_runId_fkey" FOREIGN KEY ("runId") REFERENCES "AutomationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

