// action.yml declares every input the code reads and every output it sets, and nothing else.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_DEFAULTS, INPUTS } from '../../src/action/inputs.js';
import { OUTPUTS } from '../../src/action/main.js';

const root = join(import.meta.dirname, '..', '..');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string };
  branding?: { icon?: string; color?: string };
};
const mainSource = readFileSync(join(root, 'src/action/main.ts'), 'utf8');

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUTS].sort());
    for (const [name, spec] of Object.entries(action.inputs)) expect(spec.description, name).toBeTruthy();
    // Not required: merge mode calls no API, and readInputs names the input when it is missing.
    for (const [name, spec] of Object.entries(action.inputs))
      expect(spec.required ?? false, name).toBe(false);
  });

  it('declares the defaults the code applies', () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, spec]) => spec.default !== undefined)
        .map(([name, spec]) => [name, spec.default]),
    );
    expect(declared).toEqual(INPUT_DEFAULTS);
  });

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUTS].sort());
    // Outputs are set only through the typed helper, so OUTPUTS is the whole list.
    expect(mainSource).not.toMatch(/core\.setOutput\('/);
  });

  it('has a description the Marketplace accepts (under 125 characters)', () => {
    const { description } = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { description: string };
    expect(description.length).toBeGreaterThan(20);
    expect(description.length).toBeLessThan(125);
  });

  it('runs the committed bundle on node24, with branding', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
    expect(existsSync(join(root, action.runs.main))).toBe(true);
    expect(action.branding?.icon).toBeTruthy();
    expect(action.branding?.color).toBeTruthy();
  });
});
