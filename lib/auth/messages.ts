// The same words for an unknown email, a wrong password and an expired one (SPEC 4.2).
export const GENERIC_SIGN_IN_FAILURE = "Email or password is incorrect.";
