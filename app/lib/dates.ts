/** Timestamps are stored as UTC "YYYY-MM-DD HH:MM:SS" (see sqlTimestamp); this is where they become text. */
const dateTime = new Intl.DateTimeFormat("en-US", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export function formatDateTime(timestamp: string): string {
  const date = new Date(`${timestamp.replace(" ", "T")}Z`);
  return Number.isNaN(date.getTime()) ? timestamp : `${dateTime.format(date)} UTC`;
}
