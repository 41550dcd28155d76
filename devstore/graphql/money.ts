/** MoneyV2 / MoneyBag views: Shopify returns decimal strings; the stand-in has one currency per order. */
import type { MoneyV2 } from "../model.js";

export function money(amount: string | number, currencyCode: string): MoneyV2 {
  return { amount: typeof amount === "number" ? amount.toFixed(2) : amount, currencyCode };
}

export function moneyBag(
  amount: string | number,
  currencyCode: string,
): { shopMoney: MoneyV2; presentmentMoney: MoneyV2 } {
  const m = money(amount, currencyCode);
  return { shopMoney: m, presentmentMoney: { ...m } };
}
