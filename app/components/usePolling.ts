import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/** Re-runs the page's loaders every `ms` while `active`, so background work shows progress without a reload. */
export function usePolling(active: boolean, ms = 1500) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, ms);
    return () => clearInterval(id);
  }, [active, ms, revalidator]);
}
