import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Text, Tooltip } from "@shopify/polaris";
import { formatPercent } from "./format";

/** One headline number with its label, the change vs the previous period, a one-line help text and an optional link to the details. */
export function KpiCard(props: {
  id: string;
  title: string;
  value: string;
  delta?: number | null;
  help: string;
  invertDelta?: boolean;
  link?: { to: string; label: string };
}) {
  const { delta } = props;
  const good = delta !== null && delta !== undefined && (props.invertDelta ? delta < 0 : delta > 0);
  return (
    <Card>
      <BlockStack gap="100">
        <Tooltip content={props.help} preferredPosition="above">
          <Text as="h3" variant="headingSm" tone="subdued">
            {props.title}
          </Text>
        </Tooltip>
        <InlineStack gap="200" blockAlign="baseline" wrap={false}>
          <Text as="p" variant="headingXl" id={`kpi-${props.id}`}>
            {props.value}
          </Text>
          {delta !== null && delta !== undefined && (
            <Text as="span" variant="bodySm" tone={good ? "success" : "critical"}>
              {delta > 0 ? "▲" : "▼"} {formatPercent(Math.abs(delta))}
            </Text>
          )}
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {props.help}
        </Text>
        {props.link && (
          <Text as="p" variant="bodySm">
            <Link to={props.link.to} id={`kpi-${props.id}-link`}>
              {props.link.label}
            </Link>
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
