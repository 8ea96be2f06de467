import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  cleanLine
} from "./chunk-LN4465GO.js";

// reporters/format.ts
function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return "0ms";
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)}s`;
  const s = Math.round(ms / 1e3);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}m`;
}
function wallTimeMs(results) {
  const ms = Date.parse(results.finishedAt) - Date.parse(results.startedAt);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
var plainText = cleanLine;
var VERDICT_TITLE = {
  passed: "all gates held",
  failed: "gate failed",
  incomplete: "incomplete (the run could not finish)"
};
var promotionFailedNote = (results) => results.promotion?.status === "failed" ? "but the promotion failed (see Promotion)" : void 0;
var shownVerdict = (ev, results) => ev.verdict === "passed" && promotionFailedNote(results) !== void 0 ? "incomplete" : ev.verdict;
function formatCounts(c) {
  const parts = [`${c.passed} passed`];
  if (c.flaky) parts.push(`${c.flaky} flaky`);
  if (c.failed) parts.push(`${c.failed} failed`);
  const errors = c.error - c.unfinished;
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (c.unfinished)
    parts.push(`${c.unfinished} without a verdict${c.pending ? ` (${c.pending} still running)` : ""}`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(", ");
}
function formatCriteria(criteria) {
  return criteria.map((c) => {
    const notes = [
      c.trials > 1 ? `${c.failedTrials}/${c.trials}` : "",
      c.required ? "required" : ""
    ].filter(Boolean);
    return notes.length > 0 ? `${c.name} (${notes.join(", ")})` : c.name;
  }).join(", ");
}
function formatTrials(t) {
  if (t.outcome === "skipped") return "-";
  if (t.decidedAfter !== void 0) {
    return `${t.passes}/${t.decidedAfter} (min ${t.minPasses}), decided after ${t.decidedAfter} of ${t.trials} trials`;
  }
  return t.trials > 1 ? `${t.passes}/${t.trials} (min ${t.minPasses})` : `${t.passes}/${t.trials}`;
}
var OUTCOME_ORDER = {
  failed: 0,
  error: 1,
  flaky: 2,
  passed: 3,
  skipped: 4
};

export {
  formatDuration,
  wallTimeMs,
  plainText,
  VERDICT_TITLE,
  promotionFailedNote,
  shownVerdict,
  formatCounts,
  formatCriteria,
  formatTrials,
  OUTCOME_ORDER
};
