/**
 * The admin area's layout: its navigation around every /admin page.
 *
 * This loader checks the role for the layout only. Remix runs a page's
 * loaders in parallel and calls an action without its parents' loaders, so
 * every admin route checks `requireAdmin` in its own loader and action; the
 * role test walks the route manifest to prove each one does.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireAdmin } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Admin — Bookstore" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  return null;
}

const SECTIONS = [
  ["/admin", "Dashboard"],
  ["/admin/books", "Books"],
  ["/admin/orders", "Orders"],
  ["/admin/offers", "Offers"],
  ["/admin/users", "Users"],
  ["/admin/delivery-providers", "Delivery"],
  ["/admin/audit", "Audit trail"],
] as const;

export default function AdminLayout() {
  return (
    <div className="admin">
      <nav aria-label="Admin" className="admin-nav">
        <ul>
          {SECTIONS.map(([to, label]) => (
            <li key={to}>
              <NavLink to={to} end={to === "/admin"}>
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-main">
        <Outlet />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
