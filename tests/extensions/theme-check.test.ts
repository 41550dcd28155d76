import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "./helpers/liquid";

/**
 * Shopify's theme-check (the same checks `shopify app deploy` runs) on the extension, with the
 * theme-app-extension preset it picks for a folder holding shopify.extension.toml. Zero offences
 * of any severity. A second run on a deliberately broken copy proves the check can fail.
 */

const summarize = (offenses: { check: string; uri: string; message: string; start?: { line: number } }[]) =>
  offenses.map((o) => `${o.check} ${path.basename(o.uri)}:${(o.start?.line ?? 0) + 1} ${o.message}`);

describe("theme-check", () => {
  it("reports zero offences on extensions/growthpilot-recs", async () => {
    const run = await themeCheckRun(EXTENSION_DIR);
    expect(run.config.context).toBe("app");
    const files = run.theme.map((f) => path.relative(EXTENSION_DIR, new URL(f.uri).pathname)).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        "blocks/bought-together.liquid",
        "blocks/also-bought.liquid",
        "blocks/cart-complete.liquid",
        "blocks/for-you.liquid",
        "blocks/cart-drawer.liquid",
        "snippets/gp-recs.liquid",
        "snippets/gp-card.liquid",
        "locales/en.default.json",
        "locales/zh-CN.json",
      ]),
    );
    expect(summarize(run.offenses)).toEqual([]);
  });

  it("flags a broken copy (the check is live)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gp-ext-"));
    try {
      cpSync(EXTENSION_DIR, dir, { recursive: true });
      const file = path.join(dir, "blocks/for-you.liquid");
      writeFileSync(
        file,
        readFileSync(file, "utf8").replace("'growthpilot.for_you.heading' | t", "'growthpilot.nope' | t") +
          '\n<img src="x.png">\n',
      );
      const checks = new Set((await themeCheckRun(dir)).offenses.map((o) => o.check));
      expect(checks).toContain("TranslationKeyExists");
      expect(checks).toContain("ImgWidthAndHeight");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the script inside the 10 KB budget (raw, as theme-check measures; and gzipped)", () => {
    const file = path.join(EXTENSION_DIR, "assets/gp-cart.js");
    expect(statSync(file).size).toBeLessThan(10_000);
    expect(gzipSync(readFileSync(file)).length).toBeLessThan(10_240);
  });

  it("has the same storefront and schema keys in every locale", () => {
    const keys = (obj: unknown, prefix = ""): string[] =>
      obj && typeof obj === "object"
        ? Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    const read = (name: string) => JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales", name), "utf8"));
    expect(keys(read("zh-CN.json")).sort()).toEqual(keys(read("en.default.json")).sort());
    expect(keys(read("zh-CN.schema.json")).sort()).toEqual(keys(read("en.default.schema.json")).sort());
  });
});
