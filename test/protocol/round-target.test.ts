import { describe, expect, it } from 'vitest';
import { roundTarget, type RoundRules } from '../../actors/server.js';

const rules = (clientsPerRound: number, fractionOf: RoundRules['fractionOf']): RoundRules => ({ clientsPerRound, fractionOf, overSelection: 1, deadlineMs: null, minReplies: 1 });

describe('clients per round', () => {
  it('takes a fraction of the population, capped at the eligible clients', () => {
    expect(roundTarget(rules(0.25, 'population'), 20, 20)).toBe(5);
    expect(roundTarget(rules(0.25, 'population'), 2, 20)).toBe(2); // phase 2 with 2 audio-visual clients: both
    expect(roundTarget(rules(0.25, 'population'), 12, 20)).toBe(5);
  });

  it('or a fraction of the eligible clients', () => {
    expect(roundTarget(rules(0.25, 'eligible'), 12, 20)).toBe(3);
    expect(roundTarget(rules(0.1, 'eligible'), 2, 20)).toBe(1); // never fewer than one
  });

  it('or a count', () => {
    expect(roundTarget(rules(7, 'population'), 20, 20)).toBe(7);
    expect(roundTarget(rules(7, 'eligible'), 3, 20)).toBe(3);
  });
});
