import type { MetaDescriptor } from "@remix-run/node";

/**
 * Every admin document's <title> (WCAG 2.4.2): the page, then the app, so browser tabs, history and
 * screen readers say where the merchant is. Names only — never a customer's name or email.
 */
export function pageTitle(page: string): MetaDescriptor[] {
  return [{ title: `${page} · Growthpilot` }];
}
