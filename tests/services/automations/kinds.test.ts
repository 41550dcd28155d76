import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { AUTOMATION_TYPES, ENGINE_KINDS, RULE_SCHEMAS } from "~/analytics/automations";
import { AutomationConfigSchema, defaultConfigFor } from "~/models/automations";
import { APP_KINDS, kindForTemplate } from "~/services/automations/kinds";
import { offerCode, offerTags } from "~/services/automations/shared.server";

const APP_DIR = resolve(__dirname, "../../../app");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe("automation kind registry (D23)", () => {
  it("has exactly one engine entry and one app entry per AutomationType, each naming its own type", () => {
    expect(Object.keys(ENGINE_KINDS).sort()).toEqual([...AUTOMATION_TYPES].sort());
    expect(Object.keys(APP_KINDS).sort()).toEqual([...AUTOMATION_TYPES].sort());
    for (const t of AUTOMATION_TYPES) expect(ENGINE_KINDS[t].type).toBe(t);
  });

  it("labels, code prefixes, tags and template slugs are distinct across kinds", () => {
    const kinds = Object.values(APP_KINDS);
    for (const field of ["label", "codePrefix", "tag"] as const) {
      expect(new Set(kinds.map((k) => k[field])).size, field).toBe(kinds.length);
    }
    const slugs = kinds.map((k) => k.templateSlug).filter((s) => s !== null);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it("engine mode and app form agree: only offer kinds get the offer form, codes and offer tags", () => {
    for (const t of AUTOMATION_TYPES) {
      expect(APP_KINDS[t].form, t).toBe(ENGINE_KINDS[t].mode);
      if (ENGINE_KINDS[t].mode === "offer") {
        expect(offerCode(t, "run1", "gid://shopify/Customer/1")).toMatch(
          new RegExp(`^${APP_KINDS[t].codePrefix}-[2-9A-HJ-NP-Z]{10}$`),
        );
        expect(offerTags(t)).toEqual(["gp-offer", APP_KINDS[t].tag]);
      }
    }
  });

  it("each kind's rule schema is the one the stored config parses under its rulesKey", () => {
    const parsed = AutomationConfigSchema.parse({});
    for (const t of AUTOMATION_TYPES) {
      const kind = ENGINE_KINDS[t];
      if (kind.rulesKey === null) continue;
      expect(RULE_SCHEMAS[kind.rulesKey], t).toBe(kind.ruleSchema);
      expect(parsed.rules[kind.rulesKey], t).toEqual(kind.ruleSchema!.parse(undefined));
    }
  });

  it("defaults come from the kind: offer, likely-buyer skipping, messaging and budgets", () => {
    for (const t of AUTOMATION_TYPES) {
      const d = ENGINE_KINDS[t].defaults;
      const config = defaultConfigFor(t);
      if (d.offer) expect(config.offer, t).toEqual(d.offer);
      if (d.skipLikelyBuyers !== undefined) expect(config.skipLikelyBuyers.enabled, t).toBe(d.skipLikelyBuyers);
      if (d.sendsMessages !== undefined) expect(config.sendsMessages, t).toBe(d.sendsMessages);
      if (d.budgetPerRunMinor !== undefined) expect(config.budgetPerRunMinor, t).toBe(d.budgetPerRunMinor);
    }
    expect(defaultConfigFor("VIP_REWARD").skipLikelyBuyers.enabled).toBe(false);
    expect(defaultConfigFor("SEGMENT_WRITEBACK").budgetPerRunMinor).toBeNull();
  });

  it("template slugs resolve to their kind; unknown slugs to nothing", () => {
    expect(kindForTemplate("win-back")).toBe("WIN_BACK");
    expect(kindForTemplate("second-order")).toBe("SECOND_PURCHASE");
    expect(kindForTemplate("nope")).toBeNull();
    expect(kindForTemplate(null)).toBeNull();
  });

  it("no second per-type string map exists in app/ (labels, prefixes and tags have one source)", () => {
    // A map literal like `WIN_BACK: "…"` outside the registry is a second source that drifts.
    const registry = join(APP_DIR, "services/automations/kinds.ts");
    const offenders = sourceFiles(APP_DIR)
      .filter((f) => f !== registry)
      .filter((f) => AUTOMATION_TYPES.some((t) => new RegExp(`\\b${t}\\s*:\\s*["'\`]`).test(readFileSync(f, "utf8"))))
      .map((f) => relative(APP_DIR, f));
    expect(offenders).toEqual([]);
  });
});
