-- Offer tests (D39): each assignment of an armed automation records its arm and the probability
-- of the slot it got. Nullable: existing rows (automations without arms) stay valid unchanged.
ALTER TABLE "AutomationAssignment" ADD COLUMN "offerArm" TEXT;
ALTER TABLE "AutomationAssignment" ADD COLUMN "armProbability" DOUBLE PRECISION;
