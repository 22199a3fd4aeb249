export { hashPassword, verifyPassword, verifyAgainstDummy, needsRehash, HASH_PARAMS } from "./hash";
export { Admission, OverloadedError, hashingAdmission, hashingConcurrency } from "./admission";
export { busyPath, busyResponse } from "./busy";
// Server code checks new passwords with newPasswordProblems (breach corpus
// included); policy.ts's passwordProblems is the browser's quicker subset.
export { newPasswordProblems, newPasswordIssues } from "./new-password";
export { warmBreachCorpus, breachCorpusStats } from "./corpus";
export {
  newPasswordSchema,
  normalizePassword,
  codePointLength,
  PASSWORD_MAX_LENGTH,
} from "./policy";
export type { NewPasswordInput, PolicyContext, PasswordProblem, PasswordProblemCode } from "./policy";
export { blocklistSize } from "./blocklist";
