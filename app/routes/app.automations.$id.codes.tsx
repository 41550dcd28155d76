import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportAutomationCodesCsv } from "../services/automations-admin.server";
import { requireAdmin } from "../shopify/auth.server";

/** CSV of an automation's per-customer codes (resource route, merchant session only). PII: never cached. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { filename, body } = await exportAutomationCodesCsv(shop, params.id ?? "");
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
};
