// The console's passkey script, bundled with @simplewebauthn/browser into passkeys.json by
// scripts/bundle-passkey-script.mjs (`npm run passkey-script`) and served as /admin/assets/passkeys.js.
// Every other way in works without it; it only adds what WebAuthn needs a script for.
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";

/** Posts a form body (the console's CSRF and origin rules apply as to any form) and reads the JSON answer. */
async function post(url, fields) {
  const response = await fetch(url, { method: "POST", body: new URLSearchParams(fields), credentials: "same-origin" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || "That did not work; reload the page and try again.");
  return body;
}

function say(element, text) {
  if (!element) return;
  element.textContent = text;
  element.hidden = !text;
}

/** The browser's own refusal (the person closed the prompt) is not an error worth more than a line. */
function reason(error) {
  if (error?.name === "NotAllowedError") return "The passkey prompt was closed or timed out. Nothing changed.";
  return error?.message || "That did not work.";
}

const signIn = document.getElementById("passkey-sign-in");
if (signIn && browserSupportsWebAuthn()) {
  const error = document.getElementById("passkey-error");
  signIn.hidden = false;
  signIn.addEventListener("click", async () => {
    say(error, "");
    signIn.disabled = true;
    try {
      const started = await post("/admin/passkeys/sign-in/options", {});
      const response = await startAuthentication({ optionsJSON: started.options });
      const next = signIn.dataset.next || "/admin";
      const done = await post("/admin/passkeys/sign-in", {
        challengeId: started.challengeId,
        response: JSON.stringify(response),
        next,
      });
      window.location.assign(done.location);
    } catch (failure) {
      say(error, reason(failure));
      signIn.disabled = false;
    }
  });
}

const add = document.getElementById("passkey-add");
if (add && browserSupportsWebAuthn()) {
  const error = document.getElementById("passkey-add-error");
  const unsupported = document.getElementById("passkey-unsupported");
  if (unsupported) unsupported.hidden = true;
  add.hidden = false;
  add.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(error, "");
    const fields = Object.fromEntries(new FormData(add));
    const button = add.querySelector("button");
    if (button) button.disabled = true;
    try {
      const started = await post("/admin/passkeys/options", { _csrf: fields._csrf });
      const response = await startRegistration({ optionsJSON: started.options });
      const done = await post("/admin/passkeys", {
        _csrf: fields._csrf,
        name: fields.name,
        challengeId: started.challengeId,
        response: JSON.stringify(response),
      });
      window.location.assign(done.location);
    } catch (failure) {
      say(error, reason(failure));
      if (button) button.disabled = false;
    }
  });
}
