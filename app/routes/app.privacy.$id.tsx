import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportForAdmin } from "../services/shop/data-requests.server";
import { requireAdmin } from "../shopify/auth.server";
import { privateDownload } from "../csv/write";

/** Download of one data request's export (resource route). PII: never cached, this shop's only. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const format = new URL(request.url).searchParams.get("format") === "csv" ? "csv" : "json";
  const file = await exportForAdmin(shop, params.id ?? "", format);
  if (!file) throw new Response("Not found", { status: 404 });
  return privateDownload(file);
};
