import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminDeps } from "../admin/deps.server";
import { exportAutomationCodesCsv } from "../admin/automations.server";
import { requireAdmin } from "../shopify/auth.server";
import { privateDownload } from "../csv/write";

/** CSV of an automation's per-customer codes (resource route, merchant session only). PII: never cached. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return privateDownload(await exportAutomationCodesCsv(await adminDeps(), shop, params.id ?? ""));
};
