// The support desk's public face (SPEC 4.7). Every function that reads or
// changes desk data takes the acting account's id and authorises it here.
export { authorizeStaff, parseId, type Staff } from "./authorize";
export { contactSchema, replySchema, noteSchema, type ContactInput, type FieldErrors } from "./text";
export {
  createContactRequest,
  getRequestForAgent,
  customerVisibleThread,
  claimRequest,
  releaseRequest,
  replyToRequest,
  addInternalNote,
  resolveRequest,
  newReference,
  type ActionResult,
  type ContactResult,
  type RequestDetail,
  type ThreadMessage,
} from "./requests";
export { listQueue, parseQueueFilter, queueFilters, type QueueFilter, type QueueRow, type QueueCounts } from "./queue";
export {
  findCustomerByEmail,
  customerOverview,
  sendResetLinkFromAgent,
  type CustomerOverview,
  type ActivityRow,
  type SendLinkResult,
} from "./customers";
export { liveSessionCount, endCustomerSessionsFromAgent, type EndAllResult } from "./sessions";
export { listStaff, inviteAgent, disableAgent, inviteSchema, type StaffRow, type AdminResult } from "./agents";
