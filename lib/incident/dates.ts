// Dates on the notice, written out in UTC so that every reader, and the cached
// page, show the same day whatever the server's or reader's time zone.
const dayFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });
const timeFormat = new Intl.DateTimeFormat("en-US", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "UTC",
});

/** "November 24, 2026" */
export function formatDay(isoString: string): string {
  return dayFormat.format(new Date(isoString));
}

/** "November 24, 2026 at 3:05 PM UTC" */
export function formatDateTime(isoString: string): string {
  return `${timeFormat.format(new Date(isoString))} UTC`;
}
