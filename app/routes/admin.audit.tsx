import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/pagination";
import { requireAdmin } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/dates";
import { listAudit } from "~/services/audit.server";

export const meta: MetaFunction = () => [{ title: "Audit trail — Admin — Bookstore" }];

const querySchema = z.object({
  action: z
    .string()
    .regex(/^[a-z_]+\.[a-z_]+$/)
    .optional()
    .catch(undefined),
  entityType: z
    .string()
    .regex(/^[a-z_]+$/)
    .max(32)
    .optional()
    .catch(undefined),
  entityId: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined),
  actor: z.string().trim().max(254).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const params = new URL(args.request.url).searchParams;
  const filter = querySchema.parse({
    action: params.get("action") || undefined,
    entityType: params.get("entityType") || undefined,
    entityId: params.get("entityId") || undefined,
    actor: params.get("actor") || undefined,
    page: params.get("page") ?? 1,
  });
  const actions = (await args.context.db("auditEvents").distinct("action").orderBy("action")).map(
    (row: { action: string }) => row.action,
  );
  return { filter, actions, result: await listAudit(args.context.db, filter) };
}

export default function AuditTrail() {
  const { filter, actions, result } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <form
        method="get"
        action="/admin/audit"
        className="filters"
        aria-label="Filter the audit trail"
      >
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={filter.action ?? ""}>
            <option value="">All actions</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-entity">Kind</label>
          <select id="audit-entity" name="entityType" defaultValue={filter.entityType ?? ""}>
            <option value="">Everything</option>
            {["book", "order", "user", "delivery_provider", "offer"].map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-entity-id">Id</label>
          <input
            id="audit-entity-id"
            name="entityId"
            inputMode="numeric"
            defaultValue={filter.entityId ?? ""}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">By (email)</label>
          <input id="audit-actor" name="actor" type="search" defaultValue={filter.actor ?? ""} />
        </div>
        <button type="submit">Apply</button>
      </form>
      <p className="result-count">
        {result.total} {result.total === 1 ? "change" : "changes"}
      </p>
      <table className="admin-table">
        <caption className="visually-hidden">Admin changes, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {result.events.map((event) => (
            <tr key={event.id}>
              <td>{formatDateTime(event.createdAt)}</td>
              <td>{event.actorEmail}</td>
              <td>
                {event.action}
                {event.entityId ? ` #${event.entityId}` : ""}
              </td>
              <td>
                <code>{event.before ?? ""}</code>
              </td>
              <td>
                <code>{event.after ?? ""}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination page={result.page} pageCount={result.pageCount} />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
