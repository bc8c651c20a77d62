import { formatCents } from "~/lib/money";

interface OrderLine {
  bookId: number;
  title: string;
  unitPriceCents: number;
  quantity: number;
}

/**
 * An order's books and totals, as the shopper and the admin both see them;
 * only where a title links to differs (`hrefFor`).
 */
export function OrderLines({
  order,
  hrefFor,
  captionHidden = false,
}: {
  order: {
    items: OrderLine[];
    subtotalCents: number;
    shippingCents: number;
    totalCents: number;
    deliveryProvider: { name: string };
  };
  hrefFor: (bookId: number) => string;
  captionHidden?: boolean;
}) {
  return (
    <table className="order-lines">
      <caption className={captionHidden ? "visually-hidden" : undefined}>
        Books in this order
      </caption>
      <thead>
        <tr>
          <th scope="col">Book</th>
          <th scope="col">Price</th>
          <th scope="col">Quantity</th>
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        {order.items.map((item) => (
          <tr key={item.bookId}>
            <th scope="row">
              <a href={hrefFor(item.bookId)}>{item.title}</a>
            </th>
            <td>{formatCents(item.unitPriceCents)}</td>
            <td>{item.quantity}</td>
            <td>{formatCents(item.unitPriceCents * item.quantity)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Subtotal
          </th>
          <td>{formatCents(order.subtotalCents)}</td>
        </tr>
        <tr>
          <th scope="row" colSpan={3}>
            Delivery ({order.deliveryProvider.name})
          </th>
          <td>{formatCents(order.shippingCents)}</td>
        </tr>
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td>
            <strong>{formatCents(order.totalCents)}</strong>
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

/** The address an order ships to, as both order pages show it. */
export function ShipToAddress({
  shipTo,
}: {
  shipTo: {
    fullName: string;
    line1: string;
    line2: string | null;
    city: string;
    region: string;
    postalCode: string;
    country: string;
  };
}) {
  return (
    <address>
      {shipTo.fullName}
      <br />
      {shipTo.line1}
      {shipTo.line2 ? (
        <>
          <br />
          {shipTo.line2}
        </>
      ) : null}
      <br />
      {shipTo.city}, {shipTo.region} {shipTo.postalCode}
      <br />
      {shipTo.country}
    </address>
  );
}
