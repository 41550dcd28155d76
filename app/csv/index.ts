/** Shopify CSV exports → typed records → engine orders. Used by the CLI and the app's importer. */
export { CsvInputError } from "./errors";
export { parseOrdersCsv, type ParsedOrder, type ParsedOrderLine } from "./orders";
export { parseProductsCsv, type ParsedProductVariant } from "./products";
export { ordersToEngineOrders, ordersToEngineOrdersWithStats, type EngineOrderStats } from "./toEngine";
export { parseMoneyMinor, parseShopifyDate } from "./values";
