// Bulk answers (issue 13, decision 0015): one saved reply to many requests,
// as a resumable job. The desk's pages and the CLI use only this face.
export { createBulkAnswer, type CreateBulkInput, type CreateBulkResult } from "./create";
export { runBulkAnswer, newRunnerId, type RunOptions, type RunResult } from "./run";
export {
  describeSelection,
  MAX_SELECTED_IDS,
  parseBulkSelection,
  previewSelection,
  selectionParams,
  type BulkSelection,
  type SelectionPreview,
} from "./selection";
export { bulkAnswerView, loadBulkAnswerView, recentBulkAnswers, retryBulkAnswer, LEFT_OUT_LISTED, type BulkAnswerView, type LeftOut } from "./status";
export { bulkWorkerIdle, kickBulkAnswers, runAllBulkAnswers, runningBulkAnswers } from "./worker";
