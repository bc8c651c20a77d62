/**
 * A browser without JavaScript, for HTTP tests: keeps the cookies the server
 * sets (like a browser's jar, for one site), sends forms URL-encoded as an
 * HTML form would, and does not follow redirects unless asked, so tests can
 * look at each answer.
 *
 * It speaks node:http rather than fetch: fetch adds headers of its own (it
 * says `Sec-Fetch-Mode: cors`), and a test must send exactly what a browser
 * submitting a form sends.
 */
import http from "node:http";

/** A multipart part: a field, or a file with its bytes. */
export type MultipartPart =
  | { name: string; value: string }
  | { name: string; filename: string; type?: string; bytes: Uint8Array };

export interface FormFields {
  [name: string]: string | number | Array<string | number>;
}

export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    /** Headers sent with every request (e.g. X-Forwarded-For). */
    readonly headers: Record<string, string> = {},
  ) {}

  async get(path: string, init: RequestInit = {}): Promise<Response> {
    return this.request(path, { ...init, method: init.method ?? "GET" });
  }

  /**
   * Posts `fields` as a page's form would: a document navigation (Sec-Fetch-Mode: navigate).
   * Name/value pairs are sent in their order, repeats included.
   */
  async post(
    path: string,
    fields: FormFields | Array<[string, string]>,
    init: RequestInit = {},
  ): Promise<Response> {
    const body = new URLSearchParams();
    const entries = Array.isArray(fields) ? fields : Object.entries(fields);
    for (const [name, value] of entries) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, String(one));
    }
    return this.request(path, {
      ...init,
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "text/html",
        "Sec-Fetch-Mode": "navigate",
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  }

  /** Posts a multipart form (file inputs), as a browser submitting such a page's form does. */
  async postMultipart(path: string, parts: MultipartPart[]): Promise<Response> {
    const { body, contentType } = multipartBody(parts);
    return this.request(path, {
      method: "POST",
      body,
      headers: { "Content-Type": contentType, Accept: "text/html", "Sec-Fetch-Mode": "navigate" },
    });
  }

  async request(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers({ ...this.headers, ...(init.headers as Record<string, string>) });
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    if (cookie && !headers.has("Cookie")) headers.set("Cookie", cookie);
    const response = await send(this.baseUrl + path, init.method ?? "GET", headers, init.body);
    this.remember(response);
    return response;
  }

  /** GETs `path` and follows redirects (each hop keeping cookies); returns the last answer. */
  async follow(path: string, max = 5): Promise<Response> {
    let response = await this.get(path);
    for (let hop = 0; hop < max && isRedirect(response); hop++) {
      response = await this.get(locationOf(response));
    }
    return response;
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some(
        (attribute) =>
          /^max-age=0$/i.test(attribute) ||
          (/^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) <= Date.now()),
      );
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function send(
  url: string,
  method: string,
  headers: Headers,
  body: RequestInit["body"],
): Promise<Response> {
  const payload =
    body === undefined || body === null
      ? undefined
      : Buffer.isBuffer(body)
        ? body
        : Buffer.from(String(body));
  if (payload) headers.set("Content-Length", String(payload.length));
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers: Object.fromEntries(headers) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of Array.isArray(value) ? value : [value ?? ""]) {
            responseHeaders.append(name, one);
          }
        }
        // Bodies come back as sent: the test server compresses only when asked (Accept-Encoding).
        const status = res.statusCode ?? 0;
        const empty = status === 204 || status === 304 || method === "HEAD";
        resolve(
          new Response(empty ? null : Buffer.concat(chunks), {
            status,
            statusText: res.statusMessage,
            headers: responseHeaders,
          }),
        );
      });
    });
    request.on("error", reject);
    request.end(payload);
  });
}

/** A multipart/form-data body as a browser builds it. */
export function multipartBody(parts: MultipartPart[]): {
  body: Buffer<ArrayBuffer>;
  contentType: string;
} {
  const boundary = `----BookstoreTest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ("bytes" in part) {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
            `Content-Type: ${part.type ?? "application/octet-stream"}\r\n\r\n`,
        ),
        Buffer.from(part.bytes),
        Buffer.from("\r\n"),
      );
    } else {
      chunks.push(
        Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function isRedirect(response: Response): boolean {
  return response.status >= 300 && response.status < 400;
}

/** The redirect's target as a path on the same site. */
export function locationOf(response: Response): string {
  const location = response.headers.get("Location");
  if (!location) throw new Error(`no Location header on a ${response.status} answer`);
  const url = new URL(location, "http://same.site");
  return url.pathname + url.search;
}

/** The value of a named input in a page's HTML (hidden fields such as an idempotency key). */
export function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
}

/** Visible text of HTML, roughly: tags dropped, entities decoded, React's comment markers gone. */
export function textOf(html: string): string {
  return html
    .replace(/<!-- -->/g, "")
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
