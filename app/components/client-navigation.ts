/**
 * Remix's <Link> is the right tool for a handful of links, but each one costs
 * about 50 µs to render on the server (route resolution, prefetch and route
 * discovery bookkeeping): a page of 24 book cards plus pagination spent more
 * time rendering links than anything else (bench/). For lists of links we
 * render plain <a href> — which is all a browser without JavaScript needs —
 * and one listener on the list turns an ordinary click into the client-side
 * navigation that <Link> would have made.
 */
import { useNavigate } from "@remix-run/react";
import { useEffect, useRef } from "react";

export function useClientNavigation<T extends HTMLElement>() {
  const container = useRef<T>(null);
  const navigate = useNavigate();

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      // Modified clicks mean "new tab", "download" and the like: leave them to the browser.
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = (event.target as Element | null)?.closest?.("a");
      if (!anchor || !element.contains(anchor)) return;
      if (
        anchor.target ||
        anchor.hasAttribute("download") ||
        anchor.origin !== window.location.origin
      )
        return;
      event.preventDefault();
      navigate(anchor.pathname + anchor.search + anchor.hash);
    };
    element.addEventListener("click", onClick);
    return () => element.removeEventListener("click", onClick);
  }, [navigate]);

  return container;
}
