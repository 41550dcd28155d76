import { BlockStack, Box, Button, ButtonGroup, Card, InlineStack, List, Text } from "@shopify/polaris";
import { useState } from "react";
import { emailTemplate, type TemplateLocale } from "./email-templates";
import { formatNumber } from "./format";

/**
 * How an automation's codes reach customers — said before the first run, with Flow trigger
 * results after it: the "Growthpilot offer issued" Flow trigger (→ Send marketing email), the
 * $app metafields and gp-offer tags for other email tools, and a CSV for sending by hand.
 */
export function OfferDelivery({
  automationId,
  kind,
  lastRun,
}: {
  automationId: string;
  kind: string;
  lastRun: {
    issued: number;
    accepted: number;
    failed: number;
    skipped?: number;
    unconfirmed?: number;
    tags?: { status: string; applied: number; failed: number; error: string | null } | null;
  } | null;
}) {
  const [locale, setLocale] = useState<TemplateLocale>("en");
  const [copied, setCopied] = useState(false);
  const template = emailTemplate(kind, locale);
  const text = template ? `Subject: ${template.subject}\nPreheader: ${template.preheader}\n\n${template.body}` : "";
  const copy = async () => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(true);
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          How codes reach customers
        </Text>
        {lastRun ? (
          <Text as="p" id="flow-delivery">
            Last run: {formatNumber(lastRun.issued)} codes issued · Flow triggers {formatNumber(lastRun.accepted)}{" "}
            accepted, {formatNumber(lastRun.failed)} failed
            {lastRun.skipped ? `, ${formatNumber(lastRun.skipped)} not sent: no workflow uses the trigger` : ""}
            {lastRun.unconfirmed
              ? `, ${formatNumber(lastRun.unconfirmed)} unconfirmed (not re-sent after an interruption)`
              : ""}
            . A code reaches a customer only through a workflow you built on this trigger, your email tool, or the CSV.
            {lastRun.tags ? ` ${tagLine(lastRun.tags)}` : ""}
          </Text>
        ) : (
          <Text as="p" id="flow-delivery">
            Growthpilot does not email anyone itself. When you approve and run, each treated customer (never the
            holdout) gets a code in Shopify and starts one run of the Shopify Flow trigger “Growthpilot offer issued”;
            the customer receives it only if a workflow sends it.
          </Text>
        )}
        <List type="number">
          <List.Item>
            In Shopify Flow, create a workflow that starts with “Growthpilot offer issued” and add the action “Send
            marketing email” (Shopify Email). Flow only emails customers subscribed to marketing.
          </List.Item>
          <List.Item>
            Paste the template below into that email; it uses the trigger&apos;s code, expiry and “for you” products.
          </List.Item>
          <List.Item>
            Other tools (Klaviyo etc.): segment on the tag gp-offer and read the customer metafields $app.offer_code,
            offer_expires_at, offer_summary.
          </List.Item>
          <List.Item>Sending by hand: download every customer&apos;s code as a CSV.</List.Item>
        </List>
        <InlineStack gap="200">
          <Button url={`/app/automations/${automationId}/codes`} target="_self" download>
            Download codes (CSV)
          </Button>
        </InlineStack>
        {template && (
          <BlockStack gap="200">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h3" variant="headingSm">
                Email template
              </Text>
              <ButtonGroup variant="segmented">
                <Button pressed={locale === "en"} onClick={() => setLocale("en")} size="slim">
                  English
                </Button>
                <Button pressed={locale === "zh-CN"} onClick={() => setLocale("zh-CN")} size="slim">
                  简体中文
                </Button>
              </ButtonGroup>
            </InlineStack>
            <Box padding="300" background="bg-surface-secondary" borderRadius="200">
              <pre data-testid="email-template" style={{ whiteSpace: "pre-wrap", margin: 0, fontSize: 12 }}>
                {text}
              </pre>
            </Box>
            <InlineStack gap="200" blockAlign="center">
              <Button onClick={copy}>Copy template</Button>
              {copied && (
                <Text as="span" tone="success" variant="bodySm">
                  Copied
                </Text>
              )}
            </InlineStack>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

/** The run's offer tags (one bulk mutation after the codes, D33): "Tags: N applied, M failed." */
function tagLine(tags: { status: string; applied: number; failed: number; error: string | null }): string {
  if (tags.status === "COMPLETED")
    return `Tags (gp-offer): ${formatNumber(tags.applied)} applied, ${formatNumber(tags.failed)} failed.`;
  if (tags.status === "FAILED") return `Tags (gp-offer) not applied yet: ${tags.error ?? "the bulk operation failed"}.`;
  return "Tags (gp-offer): being applied.";
}
