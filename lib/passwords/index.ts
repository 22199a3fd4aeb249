export { hashPassword, verifyPassword, verifyAgainstDummy, needsRehash, HASH_PARAMS } from "./hash";
export { Admission, OverloadedError, hashingAdmission, hashingConcurrency } from "./admission";
export { busyPath, busyResponse } from "./busy";
export {
  passwordProblems,
  newPasswordSchema,
  normalizePassword,
  codePointLength,
  PASSWORD_MAX_LENGTH,
} from "./policy";
export type { NewPasswordInput, PolicyContext } from "./policy";
export { blocklistSize } from "./blocklist";
