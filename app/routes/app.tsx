import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { env } from "../env.server";
import { requireAdmin } from "../shopify/auth.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const admin = await requireAdmin(request);
  return { apiKey: env().SHOPIFY_API_KEY, demo: admin.demo, shop: admin.shop };
};

/** Every admin page, in navigation order (Automations is built by its own routes). */
export const NAV = [
  { to: "/app", label: "Home", end: true },
  { to: "/app/segments", label: "Segments" },
  { to: "/app/retention", label: "Retention" },
  { to: "/app/recommendations", label: "Recommendations" },
  { to: "/app/automations", label: "Automations" },
  { to: "/app/privacy", label: "Privacy" },
  { to: "/app/settings", label: "Settings" },
] as const;

/**
 * Embedded admin shell: App Bridge + Polaris. Inside Shopify the App Bridge NavMenu renders the
 * navigation in the admin's sidebar; the demo has no Shopify admin around it, so it renders the
 * same links as a bar at the top.
 */
export default function AppLayout() {
  const { apiKey, demo, shop } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp={!demo} apiKey={apiKey}>
      {demo ? (
        <DemoNav shop={shop} />
      ) : (
        <NavMenu>
          {NAV.map((item, i) => (
            <Link key={item.to} to={item.to} rel={i === 0 ? "home" : undefined}>
              {item.label}
            </Link>
          ))}
        </NavMenu>
      )}
      <Outlet />
    </AppProvider>
  );
}

function DemoNav({ shop }: { shop: string }) {
  return (
    <nav
      aria-label="Growthpilot"
      style={{
        background: "#1a1a1a",
        color: "#fff",
        padding: "0 16px",
        display: "flex",
        gap: 4,
        alignItems: "center",
        flexWrap: "wrap",
      }}
    >
      <strong style={{ marginRight: 16, padding: "10px 0", fontSize: 14 }}>Growthpilot</strong>
      {NAV.map((item) => (
        <NavLink
          key={item.to}
          to={item.to}
          end={"end" in item ? item.end : false}
          style={({ isActive }) => ({
            color: "#fff",
            textDecoration: "none",
            padding: "10px 12px",
            fontSize: 13,
            borderBottom: isActive ? "3px solid #36d399" : "3px solid transparent",
            opacity: isActive ? 1 : 0.8,
          })}
        >
          {item.label}
        </NavLink>
      ))}
      <span style={{ marginLeft: "auto", fontSize: 12, opacity: 0.7 }}>{shop} · demo</span>
    </nav>
  );
}

// Shopify needs Remix to catch some thrown responses so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
