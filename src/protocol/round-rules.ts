/**
 * The run's round options (scenario `rounds`), as a server driver reads them. Plain data below the
 * drivers (actors/) and the strategies, so an algorithm that checks them (FedBuff refuses the ones it
 * cannot apply) names the same type the drivers do.
 */

/** How rounds are run (the synchronous driver's rules; a driver of its own may ignore them). */
export interface RoundRules {
  /** Clients per round: a fraction when <= 1, else a count. */
  clientsPerRound: number;
  /**
   * What a fraction is of: 'population' (all clients, as FedMultimodal's "10% per round"; capped at the
   * eligible ones, so a phase restricted to audio-visual clients still contacts about as many) or
   * 'eligible' (the clients eligible in the current phase).
   */
  fractionOf: 'population' | 'eligible';
  /** Over-selection factor (>= 1): select ceil(K × factor), keep the first K replies. */
  overSelection: number;
  /** Round deadline in virtual ms after the round opens; null = wait for every selected client. */
  deadlineMs: number | null;
  /** Fewest accepted replies for a round to count; fewer and the round fails, keeping the global model. */
  minReplies: number;
}
