/**
 * A minimal Secrets Manager on a loopback port: GetSecretValue over the
 * awsJson1_1 protocol, from an in-memory map, so the real AWS SDK client can
 * be pointed at it (endpoint option, or AWS_ENDPOINT_URL_SECRETS_MANAGER).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class FakeSecretsManager {
  readonly secrets = new Map<string, string>();
  readonly requests: { target: string; secretId: string }[] = [];
  private server: Server | undefined;
  endpoint = "";

  async start() {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        const target = String(req.headers["x-amz-target"] ?? "");
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
          res.end(JSON.stringify(payload));
        };
        if (
          req.method !== "POST" ||
          req.url !== "/" ||
          !String(req.headers["content-type"]).startsWith("application/x-amz-json-1.1")
        ) {
          return reply(400, { __type: "SerializationException", message: "bad request" });
        }
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        this.requests.push({ target, secretId: SecretId });
        if (target !== "secretsmanager.GetSecretValue") {
          return reply(400, { __type: "UnknownOperationException", message: target });
        }
        const value = this.secrets.get(SecretId);
        if (value === undefined) {
          return reply(400, {
            __type: "ResourceNotFoundException",
            message: "Secrets Manager can't find the specified secret.",
          });
        }
        reply(200, {
          ARN: SecretId,
          Name: SecretId.split(":").pop(),
          SecretString: value,
          VersionId: `v${this.requests.length}`,
          VersionStages: ["AWSCURRENT"],
          CreatedDate: Date.now() / 1000,
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop() {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  fetchesOf(secretId: string) {
    return this.requests.filter((r) => r.secretId === secretId).length;
  }
}
