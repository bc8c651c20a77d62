/**
 * Where to send someone after signing in: only a path on this site. Anything
 * else (another site, a protocol-relative `//evil.example`, a backslash trick,
 * a `javascript:` URL) falls back to `fallback`: no open redirects.
 */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length > 1000) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return fallback;
  // Control characters (a tab or a newline inside "//") can make browsers see another host.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return fallback;
  try {
    const url = new URL(value, "http://same.site");
    if (url.origin !== "http://same.site") return fallback;
    // Dot segments are resolved above: "/..//evil.example" becomes "//evil.example",
    // which a browser reads as another host. Check the result, not only the input.
    const path = url.pathname + url.search + url.hash;
    return path.startsWith("//") ? fallback : path;
  } catch {
    return fallback;
  }
}
