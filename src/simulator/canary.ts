// Canary-deploy rules (the current `rules` schema, CONTRACT.md 5.2): the request shape and the
// checks the schema cannot express. Shared by the API handlers and the scenario loader.
import { z } from 'zod';

export const ClauseInput = z.object({
  attribute: z.string(),
  operator: z.enum(['in', 'not_in', 'starts_with']),
  values: z.array(z.string()).min(1),
});
export const RolloutSlotInput = z.object({ version_id: z.string(), weight: z.number().min(0).max(100) });
export const ServeInput = z.object({
  version_id: z.string().optional(),
  rollout: z.array(RolloutSlotInput).optional(),
});
export const RuleInput = z.object({ match: z.array(ClauseInput).optional(), serve: ServeInput });
export type RuleInput = z.infer<typeof RuleInput>;

export interface RuleProblem {
  path: (string | number)[]; // relative to the rules array
  message: string;
}

/** Problems the schema cannot catch: exactly one target per serve, weights < 100, known versions. */
export function checkRules(rules: readonly RuleInput[], versionIds: ReadonlySet<string>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  rules.forEach((rule, i) => {
    const { version_id, rollout } = rule.serve;
    if ((version_id === undefined) === (rollout === undefined)) {
      problems.push({ path: [i, 'serve'], message: 'serve must have exactly one of version_id or rollout' });
    }
    if (version_id !== undefined && !versionIds.has(version_id)) {
      problems.push({ path: [i, 'serve', 'version_id'], message: `version ${version_id} does not exist` });
    }
    if (rollout) {
      if (rollout.length === 0) {
        problems.push({ path: [i, 'serve', 'rollout'], message: 'rollout must list at least one version' });
      }
      const total = rollout.reduce((sum, slot) => sum + slot.weight, 0);
      if (total >= 100) {
        problems.push({
          path: [i, 'serve', 'rollout'],
          message: `rollout weights must sum to less than 100 (the rest goes to main), got ${total}`,
        });
      }
      rollout.forEach((slot, j) => {
        if (!versionIds.has(slot.version_id)) {
          problems.push({
            path: [i, 'serve', 'rollout', j, 'version_id'],
            message: `version ${slot.version_id} does not exist`,
          });
        }
      });
    }
  });
  return problems;
}
