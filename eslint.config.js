// ESLint 9 flat config (docs/decisions.md D22). `npm run lint` = `eslint . --max-warnings 0`.
// The layer rules of docs/architecture.md live in LAYERS below, as import restrictions per directory.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Packages the pure engine may import: no I/O, no Node built-ins, no platform SDKs. */
// zod: the automation kinds declare their rule schemas in the engine (D23); zod is pure validation, no I/O.
const ENGINE_PURE_LIBS = ["ml-matrix", "zod"];

/**
 * A specifier that reaches the app/<dir> folder from anywhere inside app/: `~/dir/…` (the tsconfig
 * alias) or a relative path made only of `./` and `../` steps followed by `dir/`. Raw specifiers are
 * matched (no module resolution), which is exact here because every app/ folder is a direct child of
 * app/ and imports are written without `..` in the middle.
 */
const reaches = (...dirs) => `^(~|\\.\\.?)(/\\.\\.)*/(${dirs.join("|")})(/|$)`;

/** Where the admin view-models' deps are built (`adminDeps()`); the only admin file allowed getDb. */
const ADMIN_DEPS = "app/admin/deps.server.ts";
const ADMIN_NO_ROUTES = {
  regex: reaches("routes"),
  message: "Admin view-models sit below the routes that call them: they must not import routes.",
};
const ADMIN_NO_PROCESS_DB = {
  regex: reaches("db\\.server", "db"),
  message:
    "Admin view-models receive their deps ({ prisma, now }, app/admin/deps.server.ts): they must not open the database (getDb) themselves.",
};

/**
 * The layer rules. Each entry forbids, for files under `files`, imports whose specifier matches
 * `regex` (static imports, re-exports and dynamic `import()`); `allowTypeImports` lets `import type`
 * through (types are erased, so they add no runtime dependency); `ignores` exempts files.
 */
const LAYERS = [
  {
    files: ["app/routes/**"],
    prismaFree: true,
    restrictions: [
      { regex: reaches("models"), message: "Routes stay thin: call a service (app/services), not a model." },
      {
        regex: reaches("shopify/documents"),
        message: "Routes stay thin: GraphQL documents belong to app/shopify and the services that call it.",
      },
      {
        regex: "^@prisma/client(/|$)",
        allowTypeImports: true,
        message: "Routes must not use Prisma values; models own Prisma (type imports are fine).",
      },
    ],
  },
  {
    files: ["app/admin/**"],
    ignores: [ADMIN_DEPS],
    prismaFree: true,
    restrictions: [ADMIN_NO_ROUTES, ADMIN_NO_PROCESS_DB],
  },
  // The one admin file that builds the view-models' deps from the process database (getDb).
  { files: [ADMIN_DEPS], prismaFree: true, restrictions: [ADMIN_NO_ROUTES] },
  {
    files: ["app/models/**"],
    restrictions: [
      {
        regex: reaches("admin", "services", "routes"),
        message: "Models own Prisma and sit below view-models, services and routes: they must not import them.",
      },
    ],
  },
  {
    files: ["app/shopify/**"],
    prismaFree: true,
    restrictions: [
      {
        regex: reaches("admin", "services", "routes"),
        message:
          "app/shopify owns Shopify access and sits below view-models, services and routes: it must not import them.",
      },
    ],
  },
  // app/analytics: nothing outside app/analytics (docs/contracts.md §1). How many `../` leave the
  // folder depends on the file's depth, so there is one entry per depth (the deepest folder is 1).
  ...[0, 1, 2, 3].map((depth) => ({
    files: [`app/analytics/${"*/".repeat(depth)}*.{ts,tsx}`],
    prismaFree: true,
    restrictions: [
      {
        regex: `^(?!\\.\\.?/|~/analytics/|(${ENGINE_PURE_LIBS.join("|")})(/|$))`,
        message: `The engine is pure: it imports only app/analytics and ${ENGINE_PURE_LIBS.join(", ")} (no Node built-ins, SDKs or app code).`,
      },
      {
        regex: `^(\\./)?(\\.\\./){${depth + 1},}`,
        message: "The engine is pure: it imports nothing outside app/analytics.",
      },
    ],
  })),
  // The other layers have no import rule of their own here, but use Prisma only through models.
  {
    files: ["app/services/**", "app/jobs/**", "app/server/**", "app/cli/**", "app/components/**", "app/forms/**"],
    prismaFree: true,
    restrictions: [],
  },
];

/**
 * "Models own Prisma" (docs/architecture.md): outside app/models no code calls a Prisma model
 * method or raw SQL on a client (`prisma`, `tx`, `db`, `deps.prisma` …). Passing the client on is fine.
 */
const PRISMA_CLIENT = ":matches([name=/^(prisma|tx|db)$/], [property.name=/^(prisma|db)$/])";
const PRISMA_MODEL_METHOD =
  "findMany|findFirst|findUnique|findFirstOrThrow|findUniqueOrThrow|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy";
const PRISMA_OUTSIDE_MODELS = [
  {
    selector: `CallExpression > MemberExpression.callee[property.name=/^(${PRISMA_MODEL_METHOD})$/] > MemberExpression.object > ${PRISMA_CLIENT}.object`,
    message: "Models own Prisma: move this query into a function in app/models (it takes (prisma, shop, …)).",
  },
  {
    selector: `MemberExpression[property.name=/^\\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/] > ${PRISMA_CLIENT}.object`,
    message: "Models own Prisma: raw SQL belongs in app/models.",
  },
];

/** esquery cannot read `/` inside a regex literal; `\x2F` is the same character to RegExp. */
const esqueryRegex = (regex) => regex.replaceAll("/", "\\x2F");

const layerConfigs = LAYERS.map(({ files, ignores = [], restrictions, prismaFree = false }) => ({
  files,
  ignores,
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        patterns: restrictions.map(({ regex, message, allowTypeImports = false }) => ({
          regex,
          message,
          allowTypeImports,
        })),
      },
    ],
    // no-restricted-imports does not look at `import()`; the same rules for dynamic imports.
    "no-restricted-syntax": [
      "error",
      ...restrictions.map(({ regex, message }) => ({
        selector: `ImportExpression[source.value=/${esqueryRegex(regex)}/]`,
        message,
      })),
      ...(prismaFree ? PRISMA_OUTSIDE_MODELS : []),
    ],
  },
}));

export default defineConfig([
  globalIgnores([
    "**/node_modules/",
    "build/",
    "public/build/",
    ".cache/",
    ".data/",
    "coverage/",
    "test-results/",
    "artifacts/",
    "bench/out/",
    "shopify-schema/",
    "**/*.tmp.*",
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // Unused bindings are errors, except the conventional `_`-prefixed placeholders (ignored
      // tuple slots, unused callback parameters that keep a signature).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
        },
      ],
    },
  },
  {
    files: ["**/*.{js,mjs,cjs,ts,tsx}"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The theme app extension's script runs in the shopper's browser (docs/storefront.md).
    files: ["extensions/**/assets/*.js"],
    // `Shopify` is the global the storefront page defines (the script reads Shopify.routes.root,
    // for locale-aware Ajax API URLs: https://shopify.dev/docs/api/ajax, and Shopify.currency).
    languageOptions: { sourceType: "script", globals: { ...globals.browser, Shopify: "readonly" } },
    rules: {
      // The script is written in ES5 for every storefront browser: `catch (e) {}` needs its binding,
      // and the empty catches are deliberate (sessionStorage and querySelector throw in private
      // mode or on a merchant's bad selector; the recs are optional there).
      "@typescript-eslint/no-unused-vars": ["error", { caughtErrors: "none" }],
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  {
    files: ["app/**/*.tsx", "tests/**/*.tsx"],
    ...react.configs.flat.recommended,
    languageOptions: {
      ...react.configs.flat.recommended.languageOptions,
      globals: { ...globals.browser, ...globals.node },
    },
    settings: { react: { version: "detect" } },
  },
  { files: ["app/**/*.tsx", "tests/**/*.tsx"], ...react.configs.flat["jsx-runtime"] },
  { files: ["app/**/*.{ts,tsx}"], ...reactHooks.configs.flat.recommended },
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      // The forms copy loader/action data into controlled inputs when it changes (a new search
      // query, a failed submission's values); that is the effect this rule flags, and the
      // alternative (a keyed remount) would drop focus while typing.
      "react-hooks/set-state-in-effect": "off",
    },
  },
  ...layerConfigs,
]);
