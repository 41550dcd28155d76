-- Scores fresh within a second (D36): each CustomerScore row carries its own "as of" (a full run
-- stamps its asOf, a one-customer rescore the time it ran). Existing rows take their run's asOf.
ALTER TABLE "CustomerScore" ADD COLUMN "scoredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "CustomerScore" s SET "scoredAt" = r."asOf" FROM "ModelRun" r WHERE r.id = s."runId";
