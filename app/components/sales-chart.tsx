/**
 * Daily sales as an SVG bar chart drawn on the server: readable without
 * JavaScript, scaled to the best day, with a text alternative (a summary in
 * the SVG's title and description, and the full figures in a table).
 */
import { formatCents } from "~/lib/money";

export interface ChartDay {
  day: string;
  orders: number;
  revenueCents: number;
}

const WIDTH = 720;
const HEIGHT = 220;
const PADDING = { top: 16, right: 8, bottom: 28, left: 8 };

export function SalesChart({ days }: { days: ChartDay[] }) {
  const best = Math.max(1, ...days.map((day) => day.revenueCents));
  const plotWidth = WIDTH - PADDING.left - PADDING.right;
  const plotHeight = HEIGHT - PADDING.top - PADDING.bottom;
  const slot = plotWidth / Math.max(1, days.length);
  const total = days.reduce((sum, day) => sum + day.revenueCents, 0);
  const bestDay = days.reduce((a, b) => (b.revenueCents > a.revenueCents ? b : a), days[0]);
  const summary =
    total === 0
      ? `No sales in the last ${days.length} days.`
      : `${formatCents(total)} in the last ${days.length} days; best day ${bestDay.day} with ${formatCents(bestDay.revenueCents)}.`;

  return (
    <figure className="sales-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="sales-chart-title sales-chart-desc"
        width="100%"
      >
        <title id="sales-chart-title">Daily sales, last {days.length} days</title>
        <desc id="sales-chart-desc">{summary}</desc>
        <line
          x1={PADDING.left}
          x2={WIDTH - PADDING.right}
          y1={HEIGHT - PADDING.bottom}
          y2={HEIGHT - PADDING.bottom}
          stroke="currentColor"
          strokeOpacity={0.4}
        />
        {days.map((day, i) => {
          const height = (day.revenueCents / best) * plotHeight;
          const x = PADDING.left + i * slot + slot * 0.15;
          return (
            <rect
              key={day.day}
              x={x.toFixed(1)}
              y={(HEIGHT - PADDING.bottom - height).toFixed(1)}
              width={(slot * 0.7).toFixed(1)}
              height={height.toFixed(1)}
              className="sales-chart__bar"
            >
              <title>{`${day.day}: ${formatCents(day.revenueCents)} (${day.orders} ${day.orders === 1 ? "order" : "orders"})`}</title>
            </rect>
          );
        })}
        {[0, Math.floor(days.length / 2), days.length - 1].map((i) =>
          days[i] ? (
            <text
              key={days[i].day}
              x={PADDING.left + i * slot + slot / 2}
              y={HEIGHT - 8}
              textAnchor="middle"
              fontSize="12"
              fill="currentColor"
            >
              {days[i].day.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption>{summary}</figcaption>
      <details>
        <summary>Sales by day (table)</summary>
        <table className="admin-table">
          <caption className="visually-hidden">Daily sales</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Orders</th>
              <th scope="col">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.day}>
                <th scope="row">{day.day}</th>
                <td>{day.orders}</td>
                <td>{formatCents(day.revenueCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
