/**
 * Plain links and GET forms, navigated client-side when JavaScript runs.
 *
 * Remix's <Link> and <Form> are the usual tools, but each one costs tens of
 * microseconds to render on the server (route resolution, prefetch and route
 * discovery bookkeeping): a page of 24 book cards, pagination and the header
 * spent more time rendering links than anything else (bench/, decision 006).
 * So pages render plain <a href> and <form method="get"> — all a browser
 * without JavaScript needs — and this one document-level listener turns an
 * ordinary click or GET submission into the client-side navigation <Link> or
 * <Form> would have made. Remix's own <Link> and <Form> (use <Form> for every
 * POST: it needs the action machinery) handle their events before this: React
 * listens on the document from hydration, before our listener exists, and we
 * skip whatever it already handled (defaultPrevented).
 *
 * Some addresses are not pages: resource routes (a cover image, sign-out) and
 * the files the server serves itself. The server lists them from the Remix
 * build and its own routes (server/route-modules.ts) and the root loader hands
 * the list here; links to them are left to the browser. Until the list is
 * known (an error page rendered without the root's data), every link is.
 */
import { matchPath, useNavigate } from "@remix-run/react";
import { useEffect } from "react";

export function useClientNavigation(resourceRoutes: string[] | undefined): void {
  const navigate = useNavigate();

  useEffect(() => {
    const sameOrigin = (url: URL) => url.origin === window.location.origin;
    const isPage = (url: URL) =>
      sameOrigin(url) &&
      resourceRoutes !== undefined &&
      !resourceRoutes.some((pattern) => matchPath(pattern, url.pathname));

    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      // Modified clicks mean "new tab", "download" and the like: leave them to the browser.
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = (event.target as Element | null)?.closest?.("a[href]");
      if (!(anchor instanceof HTMLAnchorElement)) return;
      if (anchor.target || anchor.hasAttribute("download") || anchor.hasAttribute("data-reload"))
        return;
      const url = new URL(anchor.href);
      // Other sites, files and resource routes are not pages here: let the browser load them.
      if (!isPage(url)) return;
      event.preventDefault();
      navigate(url.pathname + url.search + url.hash);
    };

    const onSubmit = (event: SubmitEvent) => {
      const form = event.target;
      if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
      if (form.method !== "get" || form.target) return;
      const action = new URL(form.action, window.location.href);
      if (!isPage(action)) return;
      event.preventDefault();
      const params = new URLSearchParams();
      for (const [name, value] of new FormData(form, event.submitter)) {
        if (typeof value === "string") params.append(name, value);
      }
      navigate(`${action.pathname}?${params}`);
    };

    document.addEventListener("click", onClick);
    document.addEventListener("submit", onSubmit);
    return () => {
      document.removeEventListener("click", onClick);
      document.removeEventListener("submit", onSubmit);
    };
  }, [navigate, resourceRoutes]);
}
