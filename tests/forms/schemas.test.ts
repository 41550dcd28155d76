import { describe, expect, it } from "vitest";
import { automationFormValues, OfferAutomationFormSchema } from "~/forms/automation";
import { parseForm } from "~/forms/fields";
import { SettingsFormSchema } from "~/forms/settings";

const formOf = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

const offerValues = automationFormValues({
  name: "VIP",
  schedule: "MANUAL",
  offerShare: 0.2,
  holdoutShare: 0.125,
  budgetPerRunMinor: 50_000,
  budgetPerMonthMinor: null,
  sendsMessages: true,
});

describe("admin form schemas", () => {
  it("the stored automation's form values parse back to the same automation (round trip)", () => {
    expect(offerValues).toMatchObject({
      offerPercent: "20",
      holdoutPercent: "12.5",
      budgetPerRun: "500",
      budgetPerMonth: "",
      sendsMessages: "true",
    });
    const parsed = parseForm(OfferAutomationFormSchema, formOf(offerValues));
    expect(parsed).toEqual({
      ok: true,
      data: {
        name: "VIP",
        schedule: "MANUAL",
        offerPercent: 20,
        holdoutPercent: 12.5,
        budgetPerRun: 50_000,
        budgetPerMonth: null,
        sendsMessages: true,
      },
    });
  });

  it('a checkbox must send true or false: Polaris\' bare value="" or a missing field is an error, never a silent false', () => {
    for (const bad of [{ sendsMessages: "" }, { sendsMessages: "on" }, {}] as Record<string, string>[]) {
      const { sendsMessages: _drop, ...rest } = offerValues;
      const parsed = parseForm(OfferAutomationFormSchema, formOf({ ...rest, ...bad }));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.fieldErrors.sendsMessages).toMatch(/yes\/no/);
    }
    const unticked = parseForm(OfferAutomationFormSchema, formOf({ ...offerValues, sendsMessages: "false" }));
    expect(unticked.ok && unticked.data.sendsMessages).toBe(false);
  });

  it("settings checkbox is explicit too", () => {
    const base = {
      marginFloorPercent: "",
      excludedHandles: "",
      churnHorizonDays: "90",
      holdoutPercent: "20",
      suppressionDays: "30",
      codeExpiryDays: "14",
      defaultMarginPercent: "50",
      dataRetentionDays: "",
    };
    expect(parseForm(SettingsFormSchema, formOf({ ...base, allowContinueSelling: "true" })).ok).toBe(true);
    expect(parseForm(SettingsFormSchema, formOf(base)).ok).toBe(false);
  });
});
