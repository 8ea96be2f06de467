// `rubric-gate versions --assistant ID`: the assistant's versions, newest first, with the main
// version and the canary routing. Also home of readAssistant, the read-only look `promote` takes
// before anything runs.
//
// Which version is main: the versions list (CONTRACT.md 5.1) has no "is main" field. The call
// that names it is GET /ai/assistants/{assistant_id} (the official SDK's ai.assistants.retrieve),
// which answers with the main version; TelnyxClient.getAssistant makes it. It stays optional in
// VersionsApi so a fake without it reports main as unknown rather than guessing from dates or
// names: a wrong "main" would let promote skip or misdescribe a real change.
import { plainText } from '../../reporters/format.js';
import { TelnyxClient } from '../api/client.js';
import type { Assistant, CanaryDeploy } from '../api/schemas.js';
import { resolveApiConfig } from '../config.js';
import { EXIT, type ExitCode, isNotFound, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { renderTable, versionRows } from '../promote.js';
import { type ApiFlags, reportError } from './plan.js';

type Call = { signal?: AbortSignal };

/** The reads `versions` and `promote` need; TelnyxClient satisfies it. */
export interface VersionsApi {
  listVersions(assistantId: string, opts?: Call): Promise<Assistant[]>;
  getCanary(assistantId: string, opts?: Call): Promise<CanaryDeploy | undefined>;
  /** GET /ai/assistants/{assistant_id}: the main version. Optional: see the note at the top. */
  getAssistant?(assistantId: string, opts?: Call): Promise<Assistant>;
}

export interface AssistantSnapshot {
  assistantId: string;
  /** As the API listed them (newest first). */
  versions: Assistant[];
  /** undefined: the API did not say (see the note at the top). */
  mainVersionId?: string;
  canary?: CanaryDeploy;
}

export const versionIdOf = (v: Assistant): string => v.version_id ?? v.id;

/** Versions, main (when the API says) and canary config: reads only. An unknown assistant is a usage error. */
export async function readAssistant(
  api: VersionsApi,
  assistantId: string,
  call: Call = {},
): Promise<AssistantSnapshot> {
  if (!assistantId.trim()) throw new UsageError('--assistant needs an assistant id');
  let versions: Assistant[];
  try {
    versions = await api.listVersions(assistantId, call);
  } catch (err) {
    if (isNotFound(err)) {
      // Read-only: `versions` changes nothing anyway, and promote says what it did not do.
      throw new UsageError(`--assistant ${assistantId}: no such assistant (404)`);
    }
    throw err;
  }
  const main = api.getAssistant ? (await api.getAssistant(assistantId, call)).version_id : undefined;
  const canary = await api.getCanary(assistantId, call);
  return {
    assistantId,
    versions,
    ...(main !== undefined && versions.some((v) => versionIdOf(v) === main) ? { mainVersionId: main } : {}),
    ...(canary ? { canary } : {}),
  };
}

/** The table and its notes, terminal-safe (names come from the API). Pure. */
export function renderVersions(snap: AssistantSnapshot): string {
  const rows = versionRows(snap.versions, snap.mainVersionId, snap.canary).map((r) =>
    [r.id, r.name, r.created, r.status].map(plainText),
  );
  const n = snap.versions.length;
  const lines = [
    `Assistant ${plainText(snap.assistantId)}: ${n} version${n === 1 ? '' : 's'}, newest first`,
    '',
    renderTable(['VERSION ID', 'NAME', 'CREATED', 'STATUS'], rows).trimEnd(),
  ];
  if (snap.mainVersionId === undefined && n > 0) {
    lines.push('', 'main: unknown (the versions list does not say which version is main)');
  }
  if (snap.canary) {
    const k = snap.canary.rules.length;
    lines.push(
      '',
      `canary config: ${k} rule${k === 1 ? '' : 's'}, updated ${plainText(snap.canary.updated_at)}; the rest of the traffic goes to main`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface VersionsOptions extends ApiFlags {
  assistant?: string | undefined;
  /** Print the snapshot as JSON (for scripts) instead of the table. */
  json?: boolean | undefined;
}

export async function versionsCommand(
  opts: VersionsOptions,
  io: Io,
  deps: { client?: VersionsApi; signal?: AbortSignal } = {},
): Promise<ExitCode> {
  let apiKey = opts.apiKey;
  let owned: TelnyxClient | undefined;
  try {
    if (opts.assistant === undefined) throw new UsageError('versions needs --assistant <id>');
    let api = deps.client;
    if (!api) {
      const config = resolveApiConfig({ apiKey: opts.apiKey, baseUrl: opts.baseUrl }, io.env);
      apiKey = config.apiKey;
      owned = new TelnyxClient({ ...config, ...(deps.signal ? { signal: deps.signal } : {}) });
      api = owned;
    }
    const snap = await readAssistant(api, opts.assistant, deps.signal ? { signal: deps.signal } : {});
    io.stdout(opts.json === true ? `${JSON.stringify(snap, null, 2)}\n` : renderVersions(snap));
    return EXIT.ok;
  } catch (err) {
    return reportError(err, io, apiKey);
  } finally {
    await owned?.close();
  }
}
