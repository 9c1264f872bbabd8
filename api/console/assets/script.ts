import { formatMinutes } from "../../../core/presentation/time.ts";

/**
 * The console's only script, served as /admin/assets/console.js: every screen works without it; it adds
 * preview as you type, live countdowns and keyboard shortcuts.
 */
export const CONSOLE_JS = `(() => {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";

  // Live preview: the console's preview endpoint renders exactly what the page will show, writing nothing.
  for (const area of document.querySelectorAll("textarea[data-preview]")) {
    const target = document.getElementById(area.dataset.preview);
    if (!target) continue;
    let timer = 0;
    let sent = 0;
    const refresh = async () => {
      const mine = ++sent;
      const body = new URLSearchParams({ _csrf: csrf, kind: area.dataset.kind || "update", body: area.value });
      try {
        const response = await fetch("/admin/preview", { method: "POST", body, credentials: "same-origin" });
        if (mine !== sent) return;
        target.innerHTML = await response.text();
      } catch {}
    };
    area.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
  }

  // A template form's preview: core's template preview of what the form would post, as you type.
  for (const pane of document.querySelectorAll("[data-template-preview]")) {
    const form = pane.closest("form");
    if (!form) continue;
    let timer = 0;
    let sent = 0;
    const refresh = async () => {
      const mine = ++sent;
      const body = new URLSearchParams(new FormData(form));
      try {
        const response = await fetch(pane.dataset.templatePreview, { method: "POST", body, credentials: "same-origin" });
        if (mine !== sent) return;
        pane.innerHTML = await response.text();
      } catch {}
    };
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    };
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
  }

  // Choosing a template loads its fields at once (without JavaScript: the Use template button).
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form?.requestSubmit());
  }

  // Countdowns to a promised next update; an overdue one says so and stands out.
  const formatMinutes = (${formatMinutes.toString()});
  const dues = document.querySelectorAll("[data-due]");
  const tick = () => {
    const now = Date.now();
    for (const el of dues) {
      const due = Date.parse(el.dataset.due);
      const minutes = Math.round(Math.abs(due - now) / 60000);
      const span = formatMinutes(minutes);
      const overdue = due <= now;
      el.classList.toggle("overdue", overdue);
      const text = el.querySelector(".due-text");
      if (text) text.textContent = overdue ? "Update overdue by " + span : "Next update due in " + span;
    }
  };
  if (dues.length) {
    tick();
    setInterval(tick, 15000);
  }

  // Shortcuts: n new incident, g then d/i/m/c/p/s/a/t/e to go, / to search, Ctrl/Cmd+Enter to submit.
  const go = { d: "/admin", i: "/admin/incidents", m: "/admin/maintenance", c: "/admin/components", p: "/admin/templates", e: "/admin/settings", s: "/admin/subscribers", a: "/admin/audit", t: "/admin/tokens" };
  let pendingG = false;
  document.addEventListener("keydown", (event) => {
    const el = event.target;
    const typing = el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && typing && el.form) {
      event.preventDefault();
      el.form.requestSubmit();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (pendingG) {
      pendingG = false;
      if (go[event.key]) location.href = go[event.key];
      return;
    }
    if (event.key === "g") pendingG = true;
    else if (event.key === "n" && document.body.dataset.opens) location.href = "/admin/incidents/new";
    else if (event.key === "/") {
      const search = document.querySelector('input[type="search"]');
      if (search) {
        event.preventDefault();
        search.focus();
      }
    }
  });
})();
`;
