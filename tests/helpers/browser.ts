/**
 * Real Chromium (Debian's, at /usr/bin/chromium) driven by playwright-core.
 * Missing Chromium skips browser tests with a notice, except under CI=true.
 */
import fs from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === "true") {
    throw new Error(
      `CI=true but there is no Chromium at ${CHROMIUM_PATH}: browser tests are mandatory in CI`,
    );
  }
  console.warn(`\n*** NOTICE: no Chromium at ${CHROMIUM_PATH}: browser tests are SKIPPED ***\n`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Resolves once Remix has hydrated the page and run its effects, so that a
 * click is handled by the app (a fetcher, a client-side navigation) rather
 * than by the browser (a document load). Hydration leaves no marker of its
 * own; React Router's <ScrollRestoration> (in the root layout) sets
 * history.scrollRestoration to "manual" in an effect, and React runs all of a
 * commit's effects together, so once it reads "manual" the app's own
 * listeners (app/components/client-navigation.ts) are attached too. A freshly
 * loaded document starts at "auto". Call it after every document load (goto,
 * a redirect without JavaScript), not after a client-side navigation.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(
    () => "__remixRouter" in window && window.history.scrollRestoration === "manual",
  );
}

/**
 * Script errors and console errors of a page, as they happen. A CSP violation
 * or a hydration mismatch shows up as a console error.
 */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  return problems;
}
