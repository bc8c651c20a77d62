/**
 * The two ceilings /books is compared with, each serving the exact bytes the
 * app sent for /books (fetched once by bench/run.ts) with the same headers:
 *
 *  - express: an Express 4 route sending them as a constant string, i.e. the
 *    framework's own cost (routing, res.send's encoding and Content-Length);
 *    no middleware, no ETag (the app's page ETag is a hash of the rendered
 *    page, part of the cost the page targets measure);
 *  - http: a bare node:http server writing a pre-encoded Buffer, i.e. the
 *    platform's cost (parsing, writing to the socket).
 *
 *   node --import tsx bench/baseline.ts <express|http> <port> <body file> <headers.json>
 *
 * Listens on 127.0.0.1 only; any path gets the page.
 */
import fs from "node:fs";
import http from "node:http";
import express from "express";

const [mode, portText, bodyFile, headersFile] = process.argv.slice(2);
const port = Number(portText);
if (
  (mode !== "express" && mode !== "http") ||
  !Number.isInteger(port) ||
  !bodyFile ||
  !headersFile
) {
  console.error("usage: baseline.ts <express|http> <port> <body file> <headers.json>");
  process.exit(2);
}
const bodyBuffer = fs.readFileSync(bodyFile);
const headers = JSON.parse(fs.readFileSync(headersFile, "utf8")) as Record<string, string>;

let server: http.Server;
if (mode === "express") {
  const bodyString = bodyBuffer.toString("utf8");
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.get("*", (_req, res) => {
    res.set(headers).send(bodyString);
  });
  server = app.listen(port, "127.0.0.1");
} else {
  const fullHeaders = { ...headers, "content-length": String(bodyBuffer.length) };
  server = http
    .createServer((_req, res) => {
      res.writeHead(200, fullHeaders);
      res.end(bodyBuffer);
    })
    .listen(port, "127.0.0.1");
}
// Same keep-alive settings as the app (server/index.ts).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

const stop = () => server.close(() => process.exit(0)).closeAllConnections();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
