/** Passkeys (WebAuthn through @simplewebauthn/server): adding one, signing in with one, listing and removing them. */
export { CHALLENGE_MS } from "./challenges.ts";
export {
  listPasskeys,
  listPersonPasskeys,
  type PasskeyListing,
  removeOwnPasskey,
  removePersonPasskey,
} from "./manage.ts";
export {
  finishPasskeyRegistration,
  type PasskeyOwner,
  type RegistrationOutcome,
  startPasskeyRegistration,
} from "./register.ts";
export { type RelyingParty, relyingPartyFor } from "./relying-party.ts";
export {
  type AuthenticationResponse,
  authenticationResponse,
  passkeyName,
  type RegistrationResponse,
  registrationResponse,
} from "./schemas.ts";
export {
  finishPasskeySignIn,
  PASSKEY_SIGN_IN_IP_LIMIT,
  type SignedInPerson,
  type SignInOutcome,
  startPasskeySignIn,
} from "./sign-in.ts";
