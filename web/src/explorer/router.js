// Hash routes: every view is a link a person can share, the back button walks the
// views, and the server needs to know no path but "/".
import { useEffect, useState } from "react";

export function parseRoute(hash) {
  const [path, search = ""] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { view: parts[0] ?? "overview", args: parts.slice(1), params: new URLSearchParams(search) };
}

export function href(view, args = [], params = {}) {
  const path = [view, ...args].map(encodeURIComponent).join("/");
  const query = new URLSearchParams(
    Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== ""),
  ).toString();
  return `#/${path}${query ? `?${query}` : ""}`;
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

export function navigate(target, { replace = false } = {}) {
  if (replace) {
    window.history.replaceState(null, "", target);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = target;
  }
}
