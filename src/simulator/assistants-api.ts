// Assistant versions and canary deploys (CONTRACT.md 5.1, 5.2). Promote makes a version main
// and deletes the assistant's canary config, as the spec says.
import { checkRules, type RuleInput } from './canary.js';
import { type Ctx, type Handler, iso, param } from './context.js';
import { badRequest, notFound, parseOr422, validationError } from './replies.js';
import { CanaryInput, UpdateVersionInput } from './requests.js';
import type { AssistantRecord, CanaryRecord, VersionRecord } from './state.js';

function getAssistant(ctx: Ctx): AssistantRecord {
  const id = param(ctx, 'assistant_id');
  const assistant = ctx.state.assistants.get(id);
  if (!assistant) throw notFound('Assistant', id);
  return assistant;
}

function getVersion(ctx: Ctx, assistant: AssistantRecord): VersionRecord {
  const id = param(ctx, 'version_id');
  const version = assistant.versions.get(id);
  if (!version) throw notFound('Assistant version', id);
  return version;
}

/** A version as inference-embedding_Assistant: the assistant's fields, overridden by the version's. */
function renderVersion(a: AssistantRecord, v: VersionRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: a.id,
    name: v.name ?? a.name,
    model: v.model ?? a.model,
    instructions: v.instructions ?? a.instructions,
    created_at: iso(a.createdMs),
    version_id: v.version_id,
    version_name: v.version_name,
    version_created_at: iso(v.createdMs),
  };
  const description = v.description ?? a.description;
  if (description !== undefined) out.description = description;
  if (v.greeting !== undefined) out.greeting = v.greeting;
  if (v.tags !== undefined) out.tags = v.tags;
  return out;
}

export const listVersions: Handler = (ctx) => {
  const a = getAssistant(ctx);
  const newestFirst = [...a.versions.values()].sort((x, y) => y.createdMs - x.createdMs);
  return { status: 200, body: { data: newestFirst.map((v) => renderVersion(a, v)) } };
};

/** GET /ai/assistants/{id}: the assistant as served, i.e. its main version. */
export const retrieveAssistant: Handler = (ctx) => {
  const a = getAssistant(ctx);
  const main = a.versions.get(a.mainVersionId);
  if (!main) throw new Error(`simulator state: assistant ${a.id} has no main version`);
  return { status: 200, body: renderVersion(a, main) };
};

export const retrieveVersion: Handler = (ctx) => {
  const a = getAssistant(ctx);
  return { status: 200, body: renderVersion(a, getVersion(ctx, a)) };
};

export const updateVersion: Handler = (ctx) => {
  const a = getAssistant(ctx);
  const v = getVersion(ctx, a);
  if (v.version_id === a.mainVersionId) throw badRequest('Can not update main version');
  const input = parseOr422(UpdateVersionInput, ctx.body, ['body']);
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined) Object.assign(v, { [key]: value });
  }
  return { status: 200, body: renderVersion(a, v) };
};

const canaryUses = (c: CanaryRecord | undefined, versionId: string): boolean =>
  (c?.rules ?? []).some(
    (r) =>
      r.serve.version_id === versionId || (r.serve.rollout ?? []).some((s) => s.version_id === versionId),
  );

export const deleteVersion: Handler = (ctx) => {
  const a = getAssistant(ctx);
  const v = getVersion(ctx, a);
  if (v.version_id === a.mainVersionId) throw badRequest('Can not delete main version');
  if (canaryUses(ctx.state.canaries.get(a.id), v.version_id)) {
    throw badRequest(`Version ${v.version_id} is used by the canary deploy; update or delete it first`);
  }
  a.versions.delete(v.version_id);
  return { status: 204 };
};

export const promoteVersion: Handler = (ctx) => {
  const a = getAssistant(ctx);
  const v = getVersion(ctx, a);
  a.mainVersionId = v.version_id;
  ctx.state.canaries.delete(a.id);
  return { status: 200, body: renderVersion(a, v) };
};

const renderCanary = (c: CanaryRecord) => ({
  assistant_id: c.assistant_id,
  rules: c.rules,
  created_at: iso(c.createdMs),
  updated_at: iso(c.updatedMs),
});

function readRules(ctx: Ctx, a: AssistantRecord): RuleInput[] {
  const { rules } = parseOr422(CanaryInput, ctx.body, ['body']);
  const problems = checkRules(rules, new Set(a.versions.keys()));
  if (problems.length > 0) {
    throw validationError(
      problems.map((p) => ({
        loc: ['body', 'rules', ...p.path],
        msg: `Value error, ${p.message}`,
        type: 'value_error',
      })),
    );
  }
  return rules;
}

export const getCanary: Handler = (ctx) => {
  const a = getAssistant(ctx);
  const c = ctx.state.canaries.get(a.id);
  if (!c) throw notFound('Canary deploy for assistant', a.id);
  return { status: 200, body: renderCanary(c) };
};

/** Create. An existing config is not silently replaced: that is what PUT is for. */
export const createCanary: Handler = (ctx) => {
  const a = getAssistant(ctx);
  const rules = readRules(ctx, a);
  if (ctx.state.canaries.has(a.id)) {
    throw badRequest(`Assistant ${a.id} already has a canary deploy; use PUT to replace it`);
  }
  const c: CanaryRecord = { assistant_id: a.id, rules, createdMs: ctx.now, updatedMs: ctx.now };
  ctx.state.canaries.set(a.id, c);
  return { status: 200, body: renderCanary(c) };
};

/** "All old versions and percentages are replaced by new ones from this request". */
export const updateCanary: Handler = (ctx) => {
  const a = getAssistant(ctx);
  const existing = ctx.state.canaries.get(a.id);
  if (!existing) throw notFound('Canary deploy for assistant', a.id);
  const rules = readRules(ctx, a);
  const c: CanaryRecord = { ...existing, rules, updatedMs: ctx.now };
  ctx.state.canaries.set(a.id, c);
  return { status: 200, body: renderCanary(c) };
};

export const deleteCanary: Handler = (ctx) => {
  const a = getAssistant(ctx);
  if (!ctx.state.canaries.delete(a.id)) throw notFound('Canary deploy for assistant', a.id);
  return { status: 204 };
};
