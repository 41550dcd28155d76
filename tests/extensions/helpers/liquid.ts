import { readFileSync } from "node:fs";
import path from "node:path";
import { Liquid, type TagToken, type TopLevelToken } from "liquidjs";

/**
 * Renders the theme app extension's blocks with liquidjs, standing in for Shopify's Liquid:
 * the Shopify-only tags (`schema`, `doc`) and filters (`t`, `money`, `image_url`, `image_tag`,
 * `placeholder_svg_tag`) are emulated closely enough that the markup matches what a store
 * would serve. Keyword filter arguments arrive from liquidjs as [name, value] pairs.
 */
export const EXTENSION_DIR = path.resolve("extensions/growthpilot-recs");

type Locale = Record<string, unknown>;

function loadLocale(name: string): Locale {
  return JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales", name), "utf8")) as Locale;
}

function kwargs(args: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of args) if (Array.isArray(a) && a.length === 2 && typeof a[0] === "string") out[a[0]] = a[1];
  return out;
}

const escapeAttr = (s: unknown) =>
  String(s ?? "")
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");

/** A URL string that remembers the image it came from (Shopify's image_tag knows the dimensions). */
class ImageUrl extends String {
  constructor(
    url: string,
    readonly image: { width?: number; height?: number; alt?: string },
  ) {
    super(url);
  }
}

export interface RenderOptions {
  locale?: "en" | "zh-CN";
  /** Shopify money format of the shop. */
  moneyFormat?: string;
}

export function createEngine(options: RenderOptions = {}): Liquid {
  const locale = options.locale === "zh-CN" ? loadLocale("zh-CN.json") : loadLocale("en.default.json");
  const moneyFormat = options.moneyFormat ?? "${{amount}}";
  const engine = new Liquid({
    root: [path.join(EXTENSION_DIR, "snippets")],
    extname: ".liquid",
    strictFilters: true,
    jsTruthy: false,
  });

  // {% schema %} and {% doc %} produce no output.
  for (const name of ["schema", "doc"]) {
    engine.registerTag(name, {
      parse(_token: TagToken, remain: TopLevelToken[]) {
        while (remain.length) {
          const t = remain.shift() as TopLevelToken & { name?: string };
          if (t.name === `end${name}`) return;
        }
        throw new Error(`{% ${name} %} not closed`);
      },
      render() {
        return "";
      },
    });
  }

  engine.registerFilter("t", (key: string, ...args: unknown[]) => {
    const vars = kwargs(args);
    let value: unknown = locale;
    for (const part of key.split(".")) value = (value as Record<string, unknown> | undefined)?.[part];
    if (value && typeof value === "object") {
      const forms = value as Record<string, string>;
      value = Number(vars.count) === 1 ? (forms.one ?? forms.other) : forms.other;
    }
    if (typeof value !== "string") return `translation missing: ${key}`;
    return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => String(vars[name] ?? ""));
  });

  engine.registerFilter("money", (cents: unknown) => {
    const amount = (Number(cents) / 100).toFixed(2);
    return moneyFormat.replace(/\{\{\s*amount\s*\}\}/, amount);
  });

  engine.registerFilter("image_url", (image: unknown, ...args: unknown[]) => {
    const img = (typeof image === "string" ? { src: image } : image) as {
      src: string;
      width?: number;
      height?: number;
      alt?: string;
    };
    const { width } = kwargs(args);
    const url = img.src.startsWith("data:")
      ? img.src
      : `${img.src}${img.src.includes("?") ? "&" : "?"}width=${width ?? ""}`;
    return new ImageUrl(url, img);
  });

  engine.registerFilter("image_tag", (url: unknown, ...args: unknown[]) => {
    const opts = kwargs(args);
    const image = url instanceof ImageUrl ? url.image : {};
    const src = String(url);
    const widths = String(opts.widths ?? "")
      .split(",")
      .map((w) => w.trim())
      .filter(Boolean);
    const srcset = src.startsWith("data:")
      ? ""
      : widths.map((w) => `${src.replace(/width=\d*/, `width=${w}`)} ${w}w`).join(", ");
    const attrs: Record<string, unknown> = {
      src,
      alt: opts.alt ?? image.alt ?? "",
      srcset: srcset || undefined,
      width: image.width ?? 480,
      height: image.height ?? 480,
      loading: opts.loading,
      class: opts.class,
      sizes: opts.sizes,
    };
    return `<img ${Object.entries(attrs)
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([k, v]) => `${k}="${escapeAttr(v)}"`)
      .join(" ")}>`;
  });

  engine.registerFilter(
    "placeholder_svg_tag",
    (_name: string, cls?: string) =>
      `<svg class="${escapeAttr(cls ?? "")}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" role="img" aria-hidden="true"><rect width="100" height="100" fill="#eee"/></svg>`,
  );

  return engine;
}

/** Shopify's global objects: visible inside `render`ed snippets too (ordinary variables are not). */
const GLOBAL_OBJECTS = ["routes", "cart", "customer", "shop", "request", "localization"];

/** Renders one block file (blocks/<name>.liquid) the way Shopify wraps app blocks. */
export async function renderBlock(engine: Liquid, name: string, context: Record<string, unknown>): Promise<string> {
  const source = readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const block = context.block as { id: string };
  const globals = Object.fromEntries(Object.entries(context).filter(([k]) => GLOBAL_OBJECTS.includes(k)));
  const html = await engine.parseAndRender(source, context, { globals });
  return `<div id="shopify-block-${block.id}" class="shopify-app-block">${html}</div>`;
}

/** Default block settings, read from each block's {% schema %} like the theme editor does. */
export function schemaDefaults(name: string): Record<string, unknown> {
  const source = readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const json = /\{%\s*schema\s*%\}([\s\S]*?)\{%\s*endschema\s*%\}/.exec(source)![1];
  const schema = JSON.parse(json) as { settings: { id: string; default?: unknown }[] };
  return Object.fromEntries(schema.settings.map((s) => [s.id, s.default ?? null]));
}

export function readSchema(name: string): Record<string, unknown> {
  const source = readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  return JSON.parse(/\{%\s*schema\s*%\}([\s\S]*?)\{%\s*endschema\s*%\}/.exec(source)![1]) as Record<string, unknown>;
}
