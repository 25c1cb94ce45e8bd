// Human wording for the "since" timestamps of the service view (ISO-8601 UTC with milliseconds).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A formatter made on first use: making one costs the browser a search for the locale's pattern
 * (the largest part of the list's start-up script on a phone), and most pages need one or two.
 */
const lazyFormat = (options) => {
  let format = null;
  return { format: (date) => (format ??= new Intl.DateTimeFormat(undefined, options)).format(date) };
};

const day = lazyFormat({ day: 'numeric', month: 'short' });
const full = lazyFormat({ dateStyle: 'medium', timeStyle: 'medium' });

/** A Date for an ISO string, or null when it is missing or unreadable. */
export function parseTime(iso) {
  if (typeof iso !== 'string' || iso === '') return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * "for 3 min", "for 2 h 5 min", "since 28 Nov" — how long a state has lasted. The server's clock
 * may run a little ahead of ours, so a time in the near future reads as "just now".
 */
export function describeSince(date, now = Date.now()) {
  const age = now - date.getTime();
  if (age < MINUTE) return 'just now';
  if (age < HOUR) return `for ${Math.floor(age / MINUTE)} min`;
  if (age < DAY) {
    const hours = Math.floor(age / HOUR);
    const minutes = Math.floor((age % HOUR) / MINUTE);
    return minutes === 0 ? `for ${hours} h` : `for ${hours} h ${minutes} min`;
  }
  if (age < 7 * DAY) {
    const days = Math.floor(age / DAY);
    return `for ${days} day${days === 1 ? '' : 's'}`;
  }
  return `since ${day.format(date)}`;
}

/** The exact moment for a tooltip: local wording plus the ISO value the server sent. */
export function exactTime(date, iso) {
  return `${full.format(date)} (${iso})`;
}

const clock = lazyFormat({ hour: 'numeric', minute: '2-digit', second: '2-digit' });
const dayClock = lazyFormat({ day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });

/** "10:31:02" today, "28 Nov, 10:31" on another day: when something happened, in local time. */
export function clockTime(date, now = Date.now()) {
  return new Date(now).toDateString() === date.toDateString() ? clock.format(date) : dayClock.format(date);
}

/** "just now", "5 min ago", "2 h ago", "3 days ago", "on 28 Nov" — when something happened. */
export function describeAgo(date, now = Date.now()) {
  const age = now - date.getTime();
  if (age < MINUTE) return 'just now';
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h ago`;
  if (age < 7 * DAY) {
    const days = Math.floor(age / DAY);
    return `${days} day${days === 1 ? '' : 's'} ago`;
  }
  return `on ${day.format(date)}`;
}
