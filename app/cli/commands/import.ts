import { parseOrdersCsv, parseProductsCsv } from "../../csv";
import { UsageError } from "../errors";
import { parseFlags } from "../args";
import { formatImportSummary } from "../import-summary";
import { isShopDomain } from "../../shopify/shop-domain";
import { readInput, readInputPieces } from "../io";

export const usage =
  "growthpilot import --orders <orders_export.csv> [--products <products_export.csv>] --shop <shop>.myshopify.com";

/**
 * `import`: loads Shopify admin exports into the app's database (DATABASE_URL, else the embedded
 * PGlite in DATA_DIR — stop `npm start` first, PGlite allows one process). Both files are parsed
 * completely before anything is written, and the write is one transaction: a malformed file
 * (reported with its row number, exit 2) or any failure leaves the database untouched.
 */
export async function run(argv: string[]): Promise<void> {
  const flags = parseFlags(argv, { orders: { required: true }, products: {}, shop: { required: true } });
  const shop = flags.shop!.trim().toLowerCase();
  if (!isShopDomain(shop)) throw new UsageError(`--shop must be a myshopify.com domain, got "${flags.shop}"`);
  const orders = parseOrdersCsv(readInputPieces(flags.orders!, "orders"));
  const products = flags.products ? parseProductsCsv(readInput(flags.products, "products")) : undefined;

  // Database modules load only after the input is known to be good (opening PGlite takes a moment).
  const { getDb, closeDb } = await import("../../db.server");
  const { importCsvRecords } = await import("../../services/sync/csv-import.server");
  try {
    const { prisma } = await getDb();
    const summary = await importCsvRecords(prisma, shop, { orders, products, importedAt: new Date() });
    process.stdout.write(formatImportSummary(shop, summary, products !== undefined));
  } finally {
    await closeDb();
  }
}
