/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { FieldError } from "../../core/actions/errors.ts";
import type { PageRow } from "../../core/model/rows.ts";
import { brandColors } from "../../core/page/brand-color.ts";
import { paths, publicUrl } from "../../core/public/paths.ts";
import type { SubscriberState } from "../../core/subscribers/admin/schemas.ts";
import type { ScopeChoice } from "./scope-choices.ts";

/** The public site's colours, light and dark, for the pages the API serves (confirm, manage, unsubscribe, answers). */
const STYLE = `:root{color-scheme:light dark;--bg:#f6f7f9;--surface:#fff;--fg:#1c2128;--muted:#57606a;--line:#d9dee3;--link:#0a58c2;--bad:#cf222e;--btn:#0a58c2;--btn-fg:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--surface:#161b22;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--link:#6cb6ff;--bad:#ff6a69;--btn:#388bfd;--btn-fg:#0d1117}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}.wrap{max-width:50rem;margin:0 auto;padding:0 1rem}header{border-bottom:1px solid var(--line);background:var(--surface)}
header .wrap{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;min-height:3.75rem;padding-block:.5rem}
.brand{display:inline-flex;gap:.6rem;align-items:center;font-weight:700;font-size:1.15rem;color:var(--fg);text-decoration:none}.brand img{width:auto;max-width:10rem;height:1.75rem}
header nav{display:flex;gap:1.25rem}header nav a{color:var(--muted);text-decoration:none;font-weight:500}header nav a:hover{color:var(--fg)}main.wrap{padding:2rem 1rem 3rem}input[type=radio],input[type=checkbox]{accent-color:var(--link)}
.card{background:var(--surface);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem;margin:1rem 0}.card>:first-child{margin-top:0}.card>:last-child{margin-bottom:0}h1{font-size:1.5rem;margin:0 0 .5rem}
fieldset{border:1px solid var(--line);border-radius:8px;margin:1rem 0;padding:.75rem 1rem}legend{font-weight:600;padding:0 .25rem}
label{display:block;margin:.35rem 0}.choice{margin-left:1.5rem}.member{margin-left:3rem}button{font:inherit;padding:.55rem 1.1rem;border-radius:8px;border:1px solid var(--btn);background:var(--btn);color:var(--btn-fg);cursor:pointer;margin:.25rem .5rem .25rem 0}
button.quiet{background:transparent;color:var(--link)}.errors{border-color:var(--bad)}.errors li{color:var(--bad)}.muted{color:var(--muted)}
input[type=email]{font:inherit;width:100%;padding:.5rem;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:var(--fg)}`;

/** What these pages share with the public site: its name, logo, favicon, brand colour and links. */
export type Shell = {
  pageName: string;
  homeUrl: string;
  historyUrl: string;
  subscribeUrl: string;
  logoUrl: string | null;
  faviconUrl: string | null;
  brand: { light: string; dark: string } | null;
};

export function shellOf(page: PageRow): Shell {
  const at = (path: string) => (page.url ? publicUrl(page, path) : path);
  return {
    pageName: page.name,
    homeUrl: at(paths.index()),
    historyUrl: at(paths.history()),
    subscribeUrl: at(paths.subscribePage()),
    logoUrl: page.logoUrl,
    faviconUrl: page.faviconUrl,
    brand: page.brandColor ? brandColors(page.brandColor) : null,
  };
}

/** Only inline styles; images from here, data: and the logo's and favicon's own origins; forms post here only. */
export function pageCsp(shell: Shell): string {
  const origins = [shell.logoUrl, shell.faviconUrl].flatMap((u) => (u?.startsWith("http") ? [new URL(u).origin] : []));
  const images = ["'self'", "data:", ...new Set(origins)].join(" ");
  return `default-src 'none'; style-src 'unsafe-inline'; img-src ${images}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

/** The brand colour of links and buttons, as on the public page (both shades already readable). */
function brandStyle(brand: NonNullable<Shell["brand"]>): string {
  return `:root{--link:${brand.light};--btn:${brand.light};--btn-fg:#fff}@media (prefers-color-scheme:dark){:root{--link:${brand.dark};--btn:${brand.dark};--btn-fg:#0d1117}}`;
}

export function Page(props: Shell & { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${props.pageName}`}</title>
        {props.faviconUrl && <link rel="icon" href={props.faviconUrl} />}
        <style>{raw(STYLE)}</style>
        {props.brand && <style>{raw(brandStyle(props.brand))}</style>}
      </head>
      <body>
        <header>
          <div class="wrap">
            <a class="brand" href={props.homeUrl}>
              {props.logoUrl && <img src={props.logoUrl} alt="" height="28" />}
              {props.pageName}
            </a>
            <nav aria-label="Site">
              <a href={props.homeUrl}>Status</a>
              <a href={props.historyUrl}>History</a>
              <a href={props.subscribeUrl}>Get updates</a>
            </nav>
          </div>
        </header>
        <main class="wrap">{props.children}</main>
      </body>
    </html>
  );
}

export function Errors(props: { errors: FieldError[] }) {
  return (
    <div class="card errors" role="alert">
      <p>Nothing was saved. Please fix this and try again:</p>
      <ul>
        {props.errors.map((error) => (
          <li>{`${fieldLabel(error.path)}: ${error.message}`}</li>
        ))}
      </ul>
    </div>
  );
}

function fieldLabel(path: string): string {
  if (path === "email") return "Email address";
  if (path.startsWith("components")) return "Components";
  if (path === "scope") return "What to hear about";
  return path;
}

/** Whole page, or chosen components and groups (a group covers its members). */
export function ScopeFieldset(props: { choices: ScopeChoice[]; allComponents: boolean; chosen: ReadonlySet<string> }) {
  return (
    <fieldset>
      <legend>What to hear about</legend>
      <label>
        <input type="radio" name="scope" value="all" checked={props.allComponents} /> Everything on this page
      </label>
      <label>
        <input type="radio" name="scope" value="components" checked={!props.allComponents} /> Only the components chosen
        below
      </label>
      {props.choices.map((choice) => (
        <label class={choice.inGroup ? "member" : "choice"}>
          <input type="checkbox" name="components" value={choice.id} checked={props.chosen.has(choice.id)} />{" "}
          {choice.isGroup ? `${choice.name} (whole group)` : choice.name}
        </label>
      ))}
    </fieldset>
  );
}

/** A page with a heading and some text (answers, refusals). */
export function messagePage(shell: Shell, title: string, lines: string[], link?: { href: string; text: string }) {
  return (
    <Page {...shell} title={title}>
      <div class="card">
        <h1>{title}</h1>
        {lines.map((line) => (
          <p>{line}</p>
        ))}
        {link && (
          <p>
            <a href={link.href}>{link.text}</a>
          </p>
        )}
      </div>
    </Page>
  );
}

/** A GET of a signed link only asks: mail scanners fetch links, and only a POST changes anything. */
export function buttonPage(shell: Shell, title: string, text: string, action: string, button: string) {
  return (
    <Page {...shell} title={title}>
      <div class="card">
        <h1>{title}</h1>
        <p>{text}</p>
        <form method="post" action={action}>
          <button type="submit">{button}</button>
        </form>
      </div>
    </Page>
  );
}

export function subscribeErrorPage(shell: Shell, errors: FieldError[], formUrl: string) {
  return (
    <Page {...shell} title="Check the form">
      <h1>Check the form</h1>
      <Errors errors={errors} />
      <p>
        <a href={formUrl}>Back to the subscribe form</a>
      </p>
    </Page>
  );
}

export function managePage(
  shell: Shell,
  view: {
    address: string;
    state: SubscriberState;
    choices: ScopeChoice[];
    allComponents: boolean;
    chosen: ReadonlySet<string>;
    saveAction: string;
    unsubscribeAction: string;
    notice?: string | undefined;
    errors?: FieldError[] | undefined;
  },
) {
  return (
    <Page {...shell} title="Your subscription">
      <h1>Your subscription</h1>
      <p class="muted">{`Updates by email to ${view.address}.`}</p>
      {view.notice && (
        <div class="card" role="status">
          <p>{view.notice}</p>
        </div>
      )}
      {view.errors && view.errors.length > 0 && <Errors errors={view.errors} />}
      {view.state === "unsubscribed" ? (
        <div class="card">
          <p>You are unsubscribed: nothing more is sent to this address. Subscribe again from the status page.</p>
        </div>
      ) : (
        <>
          <form method="post" action={view.saveAction} class="card">
            <ScopeFieldset choices={view.choices} allComponents={view.allComponents} chosen={view.chosen} />
            <button type="submit">Save preferences</button>
          </form>
          <form method="post" action={view.unsubscribeAction} class="card">
            <p>Stop all updates to this address.</p>
            <button type="submit" class="quiet">
              Unsubscribe
            </button>
          </form>
        </>
      )}
    </Page>
  );
}
