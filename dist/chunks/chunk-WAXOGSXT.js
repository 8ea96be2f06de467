import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);

// src/suite/model.ts
var DEFAULT_GATE = { minPassRate: 1, maxErrors: 0, failOnRegression: false };
function toApiBody(t) {
  const body = {
    name: t.name,
    destination: t.destination,
    instructions: t.instructions,
    rubric: t.rubric.map((c) => ({ name: c.name, criteria: c.criteria })),
    telnyx_conversation_channel: t.channel,
    test_suite: t.suite
  };
  if (t.description !== void 0) body.description = t.description;
  if (t.maxDurationSeconds !== void 0) body.max_duration_seconds = t.maxDurationSeconds;
  return body;
}

export {
  DEFAULT_GATE,
  toApiBody
};
