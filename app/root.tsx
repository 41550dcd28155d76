import type { ReactNode } from "react";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";

export default function App() {
  return (
    <Document>
      <Outlet />
    </Document>
  );
}

/**
 * Outside the admin shell (a URL no route matches, a crash above `app.tsx`): a plain page with a
 * way back. Without it Remix's default boundary renders a stack-trace page and logs the 404 as an
 * error; 404s are logged once, as one line, by `handleError` in entry.server.tsx.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Document title={notFound ? "Page not found · Growthpilot" : "Something went wrong · Growthpilot"}>
      <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "64px auto", padding: "0 16px" }}>
        <h1 style={{ fontSize: 20 }}>{notFound ? "Page not found" : "Something went wrong"}</h1>
        <p>{notFound ? "There is nothing at this address." : "The error was logged; try again in a moment."}</p>
        <p>
          <a href="/app">Back to Growthpilot</a>
        </p>
      </main>
    </Document>
  );
}

function Document({ children, title }: { children: ReactNode; title?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {title && <title>{title}</title>}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
