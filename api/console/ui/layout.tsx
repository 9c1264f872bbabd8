/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import { Csrf } from "./form.tsx";
import { Icon, type IconName } from "./icons.tsx";

export type Section =
  | "dashboard"
  | "incidents"
  | "maintenance"
  | "components"
  | "inventory"
  | "templates"
  | "subscribers"
  | "audit"
  | "review"
  | "alerts"
  | "tokens"
  | "team"
  | "me"
  | "settings";

const NAV: { section: Section; href: string; label: string; icon: IconName; adminOnly?: boolean }[] = [
  { section: "dashboard", href: "/admin", label: "Dashboard", icon: "home" },
  { section: "incidents", href: "/admin/incidents", label: "Incidents", icon: "flame" },
  { section: "maintenance", href: "/admin/maintenance", label: "Maintenance", icon: "calendar" },
  { section: "components", href: "/admin/components", label: "Components", icon: "layers" },
  { section: "inventory", href: "/admin/inventory", label: "Inventory", icon: "list" },
  { section: "templates", href: "/admin/templates", label: "Templates", icon: "file" },
  { section: "subscribers", href: "/admin/subscribers", label: "Subscribers", icon: "users" },
  { section: "alerts", href: "/admin/alerts", label: "Alerts", icon: "alert" },
  { section: "review", href: "/admin/review", label: "Review", icon: "gauge" },
  { section: "audit", href: "/admin/audit", label: "Audit log", icon: "list" },
  { section: "team", href: "/admin/team", label: "Team", icon: "users" },
  { section: "tokens", href: "/admin/tokens", label: "API tokens", icon: "key", adminOnly: true },
  { section: "settings", href: "/admin/settings", label: "Page settings", icon: "settings" },
];

function Head(props: { title: string; csrf?: string; refreshTo?: string | undefined }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <meta name="robots" content="noindex" />
      {props.csrf && <meta name="csrf-token" content={props.csrf} />}
      {props.refreshTo && <meta http-equiv="refresh" content={`0;url=${props.refreshTo}`} />}
      <title>{`${props.title} · Herald console`}</title>
      <link rel="stylesheet" href="/admin/assets/console.css" />
      <script src="/admin/assets/console.js" defer />
    </head>
  );
}

function Mark() {
  return (
    <span class="brand-mark">
      <Icon name="checkCircle" size={16} />
    </span>
  );
}

/** Every signed-in screen: top bar, navigation, and the screen itself. */
export function Layout(props: {
  title: string;
  section: Section;
  session: ConsoleSession;
  pageName: string;
  children: Child;
}) {
  const { actor, csrfToken } = props.session;
  return (
    <html lang="en">
      <Head title={props.title} csrf={csrfToken} />
      {/* The "n" shortcut opens an incident only for a role that may. */}
      <body data-opens={actor.role === "viewer" ? undefined : "true"}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/admin">
            <Mark />
            Herald <small>{props.pageName}</small>
          </a>
          <span class="spacer" />
          <div class="who">
            <span class="role-label">Signed in as</span>
            {props.session.owner.kind === "person" ? (
              <a href="/admin/me" aria-current={props.section === "me" ? "page" : undefined}>
                <strong>{actor.name}</strong>
              </a>
            ) : (
              <strong>{actor.name}</strong>
            )}
            <span class="role">{actor.role}</span>
            <form method="post" action="/admin/sign-out" class="inline">
              <Csrf token={csrfToken} />
              <button class="btn btn-small" type="submit">
                Sign out
              </button>
            </form>
          </div>
        </header>
        <div class="shell">
          <nav class="side" aria-label="Console">
            <ul>
              {NAV.filter((n) => !n.adminOnly || actor.role === "admin").map((n) => (
                <li>
                  <a href={n.href} aria-current={n.section === props.section ? "page" : undefined}>
                    <Icon name={n.icon} />
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
            <p class="hint">
              {actor.role !== "viewer" && (
                <>
                  <kbd>n</kbd> new incident ·{" "}
                </>
              )}
              <kbd>g</kbd> <kbd>d</kbd> dashboard · <kbd>/</kbd> search
            </p>
          </nav>
          <main id="main">
            {actor.role === "viewer" && (
              <p class="readonly">You are signed in with a viewer token: you can see everything and change nothing.</p>
            )}
            {props.children}
          </main>
        </div>
      </body>
    </html>
  );
}

/** A screen without the navigation (sign-in, errors before a session); `refreshTo` moves on from it at once. */
export function Bare(props: { title: string; children: Child; refreshTo?: string | undefined }) {
  return (
    <html lang="en">
      <Head title={props.title} refreshTo={props.refreshTo} />
      <body>
        <main class="signin" id="main">
          <div>
            <a class="brand" href="/admin">
              <Mark />
              Herald console
            </a>
            {props.children}
          </div>
        </main>
      </body>
    </html>
  );
}

export function PageHead(props: { title: string; lead?: string; crumbs?: Child; actions?: Child }) {
  return (
    <div class="page-head">
      <div>
        {props.crumbs && <div class="crumbs">{props.crumbs}</div>}
        <h1>{props.title}</h1>
        {props.lead && <p>{props.lead}</p>}
      </div>
      {props.actions && <div class="actions">{props.actions}</div>}
    </div>
  );
}

const NOTICES: Record<string, string> = {
  invited: "Invitation sent: the link is on its way by email.",
  withdrawn: "Invitation withdrawn: its link no longer works.",
  removed: "Removed from the team: their console sessions ended.",
  "signed-out-elsewhere": "Signed out everywhere else.",
  "session-ended": "Session ended: its next request signs it out.",
  "signed-out-everywhere": "Signed out everywhere: every session of theirs ended.",
  "sso-saved": "Single sign-on settings saved.",
  "their-passkey-removed": "Passkey removed: it no longer signs them in.",
  opened: "Incident opened and published.",
  "draft-discarded": "Draft discarded: nothing was published, and the team is no longer reminded of it.",
  "opening-scheduled": "Incident scheduled: it opens by itself at its time, and nothing is public until then.",
  "opening-moved": "Scheduled incident moved to its new time.",
  "opening-cancelled": "Scheduled incident cancelled: it will not be opened.",
  scheduled: "Maintenance scheduled and published.",
  posted: "Update posted.",
  timed: "Update scheduled: it is published by itself at its time.",
  "timed-edited": "Scheduled update saved.",
  "timed-cancelled": "Scheduled update cancelled: it will not be published.",
  rescheduled: "Maintenance rescheduled; subscribers were told if you chose so.",
  extended: "Maintenance extended.",
  cancelled: "Maintenance cancelled.",
  resolved: "Incident resolved.",
  "handed-over": "Incident handed over: the new commander is named below and in the audit log.",
  acknowledged: "Acknowledged: the public page's next update time moved, and the escalation stopped.",
  "policy-saved": "Escalation policy saved.",
  reopened: "Incident reopened; subscribers were told it is back if you chose so.",
  edited: "Update corrected.",
  postmortem: "Postmortem saved.",
  component: "Component status changed.",
  created: "Created.",
  saved: "Saved.",
  deleted: "Deleted.",
  reordered: "Order saved.",
  deprecated: "Deprecated: the page shows its notice, and its subscribers are being told.",
  undeprecated: "Deprecation taken back: the component is in production again.",
  sunset: "Sunset: the component has left the page; its history stays.",
  "stage-moved": "Stage changed; the move is kept in the component's history.",
  quarantined: "Subscriber quarantined: nothing more is sent to it.",
  unquarantined: "Subscriber receives notifications again.",
  erased: "Subscriber erased.",
  "team-marked": "Webhook marked as the team's own: it also receives team-only events (overdue reminders).",
  "team-unmarked": "Webhook no longer the team's: it receives only what subscribers receive.",
  settings: "Settings saved. The public site is re-rendering now; the change shows there within seconds.",
  revoked: "Token revoked: its requests and console sessions stop working now.",
  "source-revoked": "Alert source revoked: its next delivery is refused.",
  "rule-created": "Alert rule added: alerts already firing meet it at once.",
  "rule-saved": "Alert rule saved: the alerts are evaluated against it again.",
  "rule-deleted": "Alert rule deleted: components only it held go back to what they were.",
  "passkey-added": "Passkey added: you can sign in with it next time.",
  "passkey-removed": "Passkey removed: it no longer signs you in.",
};

/** The one-line confirmation after a redirect (`?done=…`). */
export function Notice(props: { done: string | undefined }) {
  const text = props.done ? NOTICES[props.done] : undefined;
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}
