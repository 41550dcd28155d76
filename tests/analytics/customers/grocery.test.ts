import { existsSync, readFileSync } from "node:fs";
import { sharedFile } from "../../helpers/shared-data";
import { describe, expect, it } from "vitest";
import { scoreCustomers } from "../../../app/analytics/customers/index";
import { mulberry32 } from "../../../app/analytics/rng";
import type { Order } from "../../../app/analytics/types";

const file = sharedFile("grocery_elog.csv");

describe.skipIf(!existsSync(file))(
  "online grocery event log, 52/52-week split (needs shared data grocery_elog.csv; skipped when absent)",
  () => {
    it("predicts a holdout total close to the 3,389 actual transactions", () => {
      const orders: Order[] = readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((line, i) => {
          const [cust, date] = line.split(",");
          return {
            id: String(i),
            customer: cust.replace(/"/g, ""),
            at: Date.parse(`${date}T00:00:00Z`),
            lines: [],
            totalMinor: 0,
          };
        });
      const asOf = Date.UTC(2007, 0, 1);
      const later = orders.filter((o) => o.at >= asOf);
      const result = scoreCustomers(orders, { asOf, horizonDays: 364, rng: mulberry32(1), laterOrders: later });
      const holdout = result.model.holdout!;
      console.log(
        `grocery: BG/NBD Σ E[transactions in 52 weeks] = ${holdout.expectedPurchases} (actual ${holdout.actualPurchases}; Pareto/GGG in BTYDplus: 3,815)`,
        JSON.stringify(holdout.bgnbd),
      );
      expect(holdout.actualPurchases).toBe(3389);
      expect(holdout.expectedPurchases).toBeGreaterThan(3000);
      expect(holdout.expectedPurchases).toBeLessThan(4600);
      expect(holdout.bgnbd.auc!).toBeGreaterThan(0.75);
    });
  },
);
