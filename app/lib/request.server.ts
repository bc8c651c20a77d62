/**
 * Was this request a browser loading a page (a form posted without
 * JavaScript), or a script's fetch (Remix fetchers, with JavaScript)? The
 * first gets a redirect to a page, the second data to update the page it is
 * on. Browsers say which in Sec-Fetch-Mode; without it, Accept tells.
 */
export function isDocumentRequest(request: Request): boolean {
  const mode = request.headers.get("Sec-Fetch-Mode");
  if (mode) return mode === "navigate";
  return /text\/html/.test(request.headers.get("Accept") ?? "");
}
