import { Card, FormLayout, Layout, TextField } from "@shopify/polaris";
import type { SettingsFormValues } from "../../forms/settings";
import { BooleanCheckbox } from "../BooleanCheckbox";
import type { SettingsField } from "./useSettingsValues";

/**
 * The settings form's inputs, one annotated section per topic: recommendation filters,
 * predictions, automation defaults, data retention.
 */
export function SettingsFields({
  values,
  field,
  setValue,
}: {
  values: SettingsFormValues;
  field: SettingsField;
  setValue: (name: keyof SettingsFormValues, value: string) => void;
}) {
  return (
    <Layout>
      <Layout.AnnotatedSection
        id="filters"
        title="Recommendation filters"
        description="What may appear in recommendations. Draft, unpublished, gift-card and free products are never recommended; out-of-stock products only when they can be oversold."
      >
        <Card>
          <FormLayout>
            <BooleanCheckbox
              label="Recommend out-of-stock products that allow overselling (continue selling)"
              name="allowContinueSelling"
              checked={values.allowContinueSelling === "true"}
              onChange={(v) => setValue("allowContinueSelling", v ? "true" : "false")}
            />
            <TextField
              label="Margin floor"
              type="number"
              suffix="%"
              helpText="Skip products whose gross margin is below this (only where a cost is entered). Leave empty for no floor."
              {...field("marginFloorPercent")}
            />
            <TextField
              label="Never recommend these products"
              multiline={4}
              helpText="Product handles, one per line."
              {...field("excludedHandles")}
            />
          </FormLayout>
        </Card>
      </Layout.AnnotatedSection>
      <Layout.AnnotatedSection
        id="predictions"
        title="Predictions"
        description="The horizon of churn risk, purchase probability and lifetime value."
      >
        <Card>
          <FormLayout>
            <TextField
              label="Churn horizon"
              type="number"
              suffix="days"
              helpText="“Churned” = no order within this many days (14–365). 90 suits most shops; use the time between typical repeat orders × 2."
              {...field("churnHorizonDays")}
            />
          </FormLayout>
        </Card>
      </Layout.AnnotatedSection>
      <Layout.AnnotatedSection
        id="automation"
        title="Automation defaults"
        description="Used by new automations (each automation can override them)."
      >
        <Card>
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label="Holdout group"
                type="number"
                suffix="%"
                helpText="Share of eligible customers who get nothing, to measure the real effect (5–50)."
                {...field("holdoutPercent")}
              />
              <TextField
                label="Default gross margin"
                type="number"
                suffix="%"
                helpText="Used where a product has no cost entered."
                {...field("defaultMarginPercent")}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField label="Discount code expiry" type="number" suffix="days" {...field("codeExpiryDays")} />
              <TextField
                label="Don't contact again within"
                type="number"
                suffix="days"
                helpText="A customer who got an offer is left alone this long."
                {...field("suppressionDays")}
              />
            </FormLayout.Group>
          </FormLayout>
        </Card>
      </Layout.AnnotatedSection>
      <Layout.AnnotatedSection
        id="retention"
        title="Data retention"
        description="How much order history is kept for modelling."
      >
        <Card>
          <FormLayout>
            <TextField
              label="Keep order history for"
              type="number"
              suffix="days"
              helpText="At least 365 days (the models need a year to see seasonality). Leave empty to keep everything."
              {...field("dataRetentionDays")}
            />
          </FormLayout>
        </Card>
      </Layout.AnnotatedSection>
    </Layout>
  );
}
