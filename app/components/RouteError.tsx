import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { Banner, BlockStack, Layout, Page, Text } from "@shopify/polaris";

/** Statuses our own loaders throw for the merchant to read (not Shopify auth bounces). */
const FRIENDLY = new Set([400, 404, 409, 422]);

/**
 * Error boundary for admin pages. Shopify's auth flow throws responses whose body must be rendered
 * as-is (App Bridge redirects), so anything that is not one of our own 4xx answers goes to
 * `boundary.error`; our 4xx answers and unexpected exceptions get a Polaris page with a way back.
 */
export function RouteError({ title }: { title: string }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && !FRIENDLY.has(error.status)) return boundary.error(error);
  const message = isRouteErrorResponse(error)
    ? typeof error.data === "string" && error.data
      ? error.data
      : `Request failed (${error.status})`
    : "Something went wrong while loading this page. The error was logged; try again in a moment.";
  if (!isRouteErrorResponse(error)) console.error(error instanceof Error ? error.message : error);
  return (
    <Page title={title} backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Banner
            tone={isRouteErrorResponse(error) ? "warning" : "critical"}
            title={isRouteErrorResponse(error) ? message : "This page could not be loaded"}
          >
            <BlockStack gap="200">
              {!isRouteErrorResponse(error) && <Text as="p">{message}</Text>}
              <Text as="p">
                <Link to="/app">Back to the home page</Link>
              </Text>
            </BlockStack>
          </Banner>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
