/** @jsxImportSource hono/jsx */
import { formatMinutes, formatTime } from "../../../core/presentation/time.ts";
import { isUpdateOverdue } from "../../../core/scheduler/overdue-reminders.ts";
import { Icon } from "./icons.tsx";

/** A time as the console shows it without JavaScript: in UTC, named, in the format the page and the mails use. */
const inUtc = (iso: string) => formatTime(iso, "UTC");

export function Time(props: { at: string }) {
  return <time datetime={props.at}>{inUtc(props.at)}</time>;
}

/** `YYYY-MM-DDTHH:MM` in UTC, for a datetime-local field the console reads back as UTC. */
export function toLocalInput(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16);
}

/** The promised next update, counting down; once the promise is broken it says so and stands out. */
export function Countdown(props: { dueAt: string; now: Date }) {
  const due = Date.parse(props.dueAt);
  const overdue = isUpdateOverdue({ nextUpdateDueAt: props.dueAt, resolvedAt: null }, props.now);
  const minutes = Math.round(Math.abs(due - props.now.getTime()) / 60_000);
  return (
    <span class={overdue ? "due overdue" : "due"} data-due={props.dueAt}>
      <Icon name={overdue ? "alert" : "clock"} size={14} />
      <span class="due-text">
        {overdue ? `Update overdue by ${formatMinutes(minutes)}` : `Next update due in ${formatMinutes(minutes)}`}
      </span>
      <span class="meta">{`(by ${inUtc(props.dueAt)})`}</span>
    </span>
  );
}
