/**
 * GET /admin/books/export.csv: the whole inventory, archived books included,
 * in the import's format (app/services/book-csv.server.ts), streamed as the
 * database pages through, so the file is never held in memory.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/lib/auth.server";
import { exportFileName, exportInventoryCsv } from "~/services/book-csv.server";

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const { db, logger } = args.context;
  const csv = exportInventoryCsv(db, (error) =>
    logger.error({ err: error }, "inventory export failed"),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName()}"`,
      // Stock and prices of the moment, for staff only: never kept by a cache.
      "Cache-Control": "private, no-store",
    },
  });
}
