// What every endpoint handler receives, and the handler type.
import type { Reply } from './replies.js';
import type { Scenario } from './scenario.js';
import type { RunRecord, SimState } from './state.js';

export interface Ctx {
  state: SimState;
  scenario: Scenario;
  /** Simulated seconds per real second. */
  clockScale: number;
  /** Real epoch ms of this request. */
  now: number;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; {} for an empty optional body. */
  body: unknown;
  /** A 'page-shift' fault: list pages start this many items earlier (negative: later). */
  pageShift?: number;
  /** A 'status-filter' fault: how run lists misread their status query. */
  statusFilter?: 'ignore' | 'nothing' | 'inverted';
  /** Report a new run so the in-progress high-water mark sees it. */
  track(run: RunRecord): void;
}

export type Handler = (ctx: Ctx) => Reply;

export const iso = (ms: number): string => new Date(ms).toISOString();

export const param = (ctx: Ctx, name: string): string => ctx.params[name] ?? '';
