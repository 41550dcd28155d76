import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { AUTOMATION_SCHEDULE_OPTIONS, type AutomationFormValues } from "../../forms/automation";
import { BooleanCheckbox } from "../BooleanCheckbox";
import type { AutomationPageData as Data } from "./types";

/** The merchant-editable settings (offer kinds show discount, holdout, budgets and consent). */
export function SettingsForm({ data, errors, busy }: { data: Data; errors: Record<string, string>; busy: boolean }) {
  const [values, setValues] = useState<AutomationFormValues>(data.formValues);
  const field = (
    name:
      | "name"
      | "offerPercent"
      | "holdoutPercent"
      | "budgetPerRun"
      | "budgetPerMonth"
      | "offerArms"
      | "maxDiscountPercent",
  ) => ({
    name,
    value: values[name],
    onChange: (v: string) => setValues((prev) => ({ ...prev, [name]: v })),
    error: errors[name],
    autoComplete: "off",
  });
  const isOffer = data.automation.form === "offer";
  return (
    <Card>
      <Form method="post" id="automation-settings">
        <input type="hidden" name="intent" value="save" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Settings
          </Text>
          <FormLayout>
            <TextField label="Name" {...field("name")} />
            {isOffer && (
              <>
                <TextField
                  label="Discount"
                  type="number"
                  suffix="% off"
                  {...field("offerPercent")}
                  helpText={data.automation.discountHelp}
                />
                <TextField
                  label="Offer test arms"
                  {...field("offerArms")}
                  placeholder="10, 15, 20"
                  helpText='2–4 discounts tested against each other, e.g. "10, 15, 20" (% off) or "fixed 5.00"; the split learns which earns the most margin. Empty = the single discount above.'
                />
                <TextField
                  label="Maximum discount"
                  type="number"
                  suffix="% off"
                  {...field("maxDiscountPercent")}
                  helpText="No arm may be deeper than this."
                />
                <TextField
                  label="Holdout"
                  type="number"
                  suffix="%"
                  {...field("holdoutPercent")}
                  helpText="Random, by segment. They get nothing; that is how the effect is measured."
                />
                <TextField
                  label="Budget per run"
                  type="number"
                  prefix={data.currency}
                  {...field("budgetPerRun")}
                  helpText="Expected discount cost; empty = no cap"
                />
                <TextField label="Budget per month" type="number" prefix={data.currency} {...field("budgetPerMonth")} />
                <BooleanCheckbox
                  label="Sent by email/Flow (only customers subscribed to marketing)"
                  name="sendsMessages"
                  checked={values.sendsMessages === "true"}
                  onChange={(v) => setValues((prev) => ({ ...prev, sendsMessages: v ? "true" : "false" }))}
                />
                {errors.sendsMessages && (
                  <Text as="p" tone="critical" variant="bodySm">
                    {errors.sendsMessages}
                  </Text>
                )}
              </>
            )}
            <Select
              label="Schedule"
              name="schedule"
              options={[...AUTOMATION_SCHEDULE_OPTIONS]}
              value={values.schedule}
              onChange={(v) => setValues((prev) => ({ ...prev, schedule: v }))}
              error={errors.schedule}
            />
          </FormLayout>
          {data.bundle && (
            <Text as="p" variant="bodySm" tone="subdued">
              Bundle: buy {data.bundle.a?.title ?? "—"}, get {data.bundle.b?.title ?? "—"} at the discount (the shop’s
              strongest bought-together pair).
            </Text>
          )}
          <Text as="p" variant="bodySm" tone="subdued">
            Codes are single-use, only for that customer, expire after {data.preview.resolved.codeExpiryDays} days and
            combine with no other discount. Nobody gets two offers within {data.preview.resolved.suppressionDays} days.
          </Text>
          <InlineStack gap="200">
            <Button submit loading={busy}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}
