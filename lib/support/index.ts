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
export {
  listQueue,
  queueRows,
  queueCounts,
  searchCount,
  takeNext,
  takeNextStatus,
  parseQueueFilter,
  queueFilters,
  QUEUE_PAGE_SIZE,
  MATCHING_CAP,
  type QueueFilter,
  type QueueRow,
  type QueueCounts,
  type QueueCursor,
  type QueueView,
  type TakeNextResult,
} from "./queue";
export { parseQueueQuery, queueQueryParams, SEARCH_MAX_LENGTH, type QueueQuery } from "./queue-query";
export {
  customerOverview,
  sendResetLinkFromAgent,
  type CustomerOverview,
  type ActivityRow,
  type SendLinkResult,
} from "./customers";
export { changeTopic, mergeRequests, relatedRequests, type OrganiseResult, type RelatedRequest } from "./organise";
export { viewRequest, presenceText, PRESENCE_MINUTES, type Viewer } from "./presence";
export { findCustomers, LOOKUP_LIMIT, type CustomerLookup, type CustomerMatch } from "./lookup";
export { liveSessionCount, endCustomerSessionsFromAgent, type EndAllResult } from "./sessions";
export { listStaff, inviteAgent, disableAgent, inviteSchema, type StaffRow, type AdminResult } from "./agents";
