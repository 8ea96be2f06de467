// The API's channels and spec limits as plain constants, without zod: the suite-file validator
// (`validate`, which loads only zod/mini), the API schemas and the simulator's 422 checks share them.

export const CHANNELS = ['phone_call', 'web_call', 'sms_chat', 'web_chat'] as const;

/** Spec limits, shared by the suite-file validator and the simulator's 422 checks. */
export const LIMITS = {
  nameMax: 255,
  instructionsMax: 5000,
  descriptionMax: 1000,
  suiteMax: 100,
  maxDurationMin: 1,
  maxDurationMax: 3600,
  pageSizeMax: 100,
  idempotencyKey: /^[A-Za-z0-9_-]{1,255}$/,
} as const;
