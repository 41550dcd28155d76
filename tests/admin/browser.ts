import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";

/**
 * Chromium helpers for the admin browser suites (Debian chromium via playwright-core, which has
 * no web-first assertions: these poll). Opening a page records console errors and uncaught
 * exceptions so a test can assert there were none.
 */

export const TIMEOUT = 10_000;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export interface Opened {
  page: Page;
  errors: string[];
}

export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 900 },
): Promise<Opened> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil: "networkidle" });
  return { page, errors };
}

export async function visible(l: Locator, timeout = TIMEOUT) {
  await l.first().waitFor({ state: "visible", timeout });
}

const textOf = async (l: Locator) =>
  ((await l.first().textContent({ timeout: TIMEOUT })) ?? "").replace(/\s+/g, " ").trim();

export async function seeContains(l: Locator, expected: string, timeout = TIMEOUT) {
  await expect.poll(() => textOf(l), { timeout }).toContain(expected);
}

export async function seeText(l: Locator, expected: string | RegExp, timeout = TIMEOUT) {
  if (typeof expected === "string") await expect.poll(() => textOf(l), { timeout }).toBe(expected);
  else await expect.poll(() => textOf(l), { timeout }).toMatch(expected);
}

export async function seeAttr(l: Locator, name: string, expected: string | RegExp) {
  const value = () => l.first().getAttribute(name, { timeout: TIMEOUT });
  if (typeof expected === "string") await expect.poll(value, { timeout: TIMEOUT }).toBe(expected);
  else await expect.poll(value, { timeout: TIMEOUT }).toMatch(expected);
}

/**
 * Everything a form would submit plus what the merchant sees: each named field's value (hidden
 * inputs included, the submit intent excluded) and every checkbox's ticked state by its label.
 */
export async function formSnapshot(form: Locator): Promise<Record<string, string | boolean>> {
  return form.evaluate((el) => {
    const out: Record<string, string | boolean> = {};
    for (const f of Array.from(
      el.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>("input, select, textarea"),
    )) {
      if (f instanceof HTMLInputElement && f.type === "checkbox") {
        const label =
          f.closest("label")?.textContent ?? document.querySelector(`label[for="${f.id}"]`)?.textContent ?? f.id;
        out[`checkbox:${label.trim()}`] = f.checked;
        continue;
      }
      if (!f.name || f.name === "intent") continue;
      out[f.name] = f.value;
    }
    return out;
  });
}

/** One axe-core violation, reduced to what a failing test should print. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const AXE_SOURCE = path.resolve("node_modules/axe-core/axe.min.js");

/**
 * axe-core's WCAG 2.0/2.1 level A and AA rules on the page as rendered (injected into the page,
 * as the axe browser extension does). Returns every violation with up to five offending selectors.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const r = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(" ")),
    }));
  });
}
