/** Daytime for a `daytime_only` level: from 08:00 to 20:00 in the page's time zone. */
const DAY_STARTS = 8;
const DAY_ENDS = 20;

export function isDaytime(now: Date, timeZone: string): boolean {
  const hour = Number(
    new Intl.DateTimeFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone: zoneOrUtc(timeZone) }).format(now),
  );
  return hour >= DAY_STARTS && hour < DAY_ENDS;
}

function zoneOrUtc(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}
