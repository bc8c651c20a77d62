/**
 * Server rendering. Our loaders resolve all their data before rendering (no
 * deferred data), so streaming the HTML would only cut the page into many
 * small chunks, each pushed through Node → web → Node stream adapters. We
 * render the whole page, then answer with one buffer: measurably faster
 * (bench/) and the same HTML. The CSP nonce from the Express server reaches
 * Remix's inline scripts through NonceProvider.
 *
 * Having the whole page in hand also gives it an ETag: the hash of its bytes
 * with the nonce taken out, so a browser that already has the page is
 * answered 304 (app/lib/http-cache.server.ts, docs/decisions/040-http-caching.md).
 */
import { Writable } from "node:stream";
import type {
  AppLoadContext,
  EntryContext,
  HandleDataRequestFunction,
  HandleErrorFunction,
} from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { withoutUnfilledBytes } from "~/lib/html-chunks.server";
import { dataResponse, pageResponse } from "~/lib/http-cache.server";
import { NonceProvider } from "~/lib/nonce";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/**
 * Unexpected errors go to the JSON log with the request id. A 404 or 405 is the
 * client's mistake, not ours, and a request aborted by the client is not news.
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  const log = (context as Partial<AppLoadContext>).logger;
  if (log) log.error({ err: error, url: request.url }, "request failed");
  else console.error(error);
};

/** Data requests (client-side navigation, fetchers) are never stored: see dataResponse. */
export const handleDataRequest: HandleDataRequestFunction = (response) => dataResponse(response);

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let abort = () => {};
    // Past the deadline, whatever is still pending renders as its fallback.
    const deadline = setTimeout(() => abort(), ABORT_DELAY + 1000);
    const stream = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY}
          nonce={nonce}
        />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          clearTimeout(deadline);
          const chunks: Buffer[] = [];
          stream.pipe(
            new Writable({
              write(chunk: Buffer, _encoding, done) {
                chunks.push(withoutUnfilledBytes(chunk));
                done();
              },
              final(done) {
                responseHeaders.set("Content-Type", "text/html; charset=utf-8");
                resolve(
                  pageResponse({
                    request,
                    status: responseStatusCode,
                    headers: responseHeaders,
                    body: Buffer.concat(chunks),
                    nonce,
                  }),
                );
                done();
              },
            }),
          );
        },
        onShellError(error: unknown) {
          clearTimeout(deadline);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (!request.signal.aborted) console.error(error);
        },
      },
    );
    abort = stream.abort;
  });
}
