// `--against <version-id|main>`: which version the baseline side of the run triggers.
//
// `main` is resolved once, before anything is triggered, with GET /ai/assistants/{id} (the call
// that names the main version, see commands/versions.ts), and every baseline trigger then names
// that version id explicitly in destination_version_id. Omitting destination_version_id would
// also run on main, but on whatever main is when each trigger arrives: a promotion during the run
// would split the baseline across two versions. The explicit id pins one version for the whole
// run (and for --resume), and the results record which version the baseline was.
import type { Assistant } from '../api/schemas.js';
import { isNotFound, UsageError } from '../errors.js';

type Call = { signal?: AbortSignal };

export interface AgainstApi {
  getAssistant(assistantId: string, opts?: Call): Promise<Assistant>;
  getVersion(assistantId: string, versionId: string, opts?: Call): Promise<Assistant>;
}

export interface AgainstRequest {
  /** As given: `main` or a version id. */
  against: string;
  assistantId?: string | undefined;
  /** The candidate (--version). */
  versionId?: string | undefined;
}

/** Flag checks that need no API: --against needs a candidate, and `main` needs the assistant. */
export function checkAgainstFlags(r: AgainstRequest): void {
  if (r.against.trim() === '') throw new UsageError('--against needs a version id or `main`');
  if (r.versionId === undefined) {
    throw new UsageError(
      '--against compares the candidate --version with a baseline version: pass --version <id> too',
    );
  }
  if (r.against === r.versionId) {
    throw new UsageError(`--against ${r.against} is the --version itself: nothing to compare`);
  }
  if (r.against === 'main' && r.assistantId === undefined) {
    throw new UsageError(
      '--against main needs --assistant <id>: the main version is read from the assistant (GET /ai/assistants/{id})',
    );
  }
}

/** The baseline version id; reads only. A wrong assistant or version is a usage error. */
export async function resolveAgainst(
  api: AgainstApi,
  r: AgainstRequest,
  call: Call = {},
): Promise<{ versionId: string; label: string }> {
  checkAgainstFlags(r);
  const assistantId = r.assistantId;
  if (r.against !== 'main') {
    if (assistantId !== undefined) {
      try {
        await api.getVersion(assistantId, r.against, call);
      } catch (err) {
        if (isNotFound(err)) {
          throw new UsageError(
            `--against ${r.against}: assistant ${assistantId} has no such version. Nothing was triggered.`,
          );
        }
        throw err;
      }
    }
    return { versionId: r.against, label: r.against };
  }
  let main: string | undefined;
  try {
    main = (await api.getAssistant(assistantId ?? '', call)).version_id;
  } catch (err) {
    if (isNotFound(err)) {
      throw new UsageError(`--assistant ${assistantId}: no such assistant (404). Nothing was triggered.`);
    }
    throw err;
  }
  if (main === undefined) {
    throw new UsageError(
      `--against main: the API did not say which version of assistant ${assistantId} is main; pass the version id instead. Nothing was triggered.`,
    );
  }
  if (main === r.versionId) {
    throw new UsageError(
      `--version ${r.versionId} is already the main version of assistant ${assistantId}: nothing to compare. Nothing was triggered.`,
    );
  }
  return { versionId: main, label: 'main' };
}
