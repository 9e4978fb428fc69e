/**
 * Seeded, stratified holdout splits: the server-side test set and the dev set (FedMultimodal holds
 * 20% of the training clips out as dev and reports the test score of the round with the best dev
 * accuracy). Each class is shuffled by its own stream, so the split of one class does not depend
 * on how many samples the other classes have.
 */
import { ConfigError } from '../core/errors.js';
import { openStream, seedKey } from '../core/seed-streams.js';

/** A split of some indices into the ones kept and the ones held out, both ascending. */
export interface Holdout {
  kept: number[];
  heldOut: number[];
}

/**
 * Holds out round(fraction · n_c) samples of every class c among `indices` (labels read from
 * `labels[index]`), chosen by the stream `${key}/class<c>`.
 */
export function stratifiedHoldout(labels: ArrayLike<number>, indices: readonly number[], fraction: number, key: string): Holdout {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new ConfigError('holdout', 'fraction', fraction, 'a number in [0, 1)');
  }
  const byClass = new Map<number, number[]>();
  for (const i of indices) {
    const label = labels[i];
    let list = byClass.get(label);
    if (!list) byClass.set(label, (list = []));
    list.push(i);
  }
  const kept: number[] = [];
  const heldOut: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(label)!.sort((a, b) => a - b);
    const shuffled = openStream(`${key}/class${label}`).shuffle(members);
    const count = Math.round(fraction * members.length);
    heldOut.push(...shuffled.slice(0, count));
    kept.push(...shuffled.slice(count));
  }
  kept.sort((a, b) => a - b);
  heldOut.sort((a, b) => a - b);
  return { kept, heldOut };
}

/** The three server/client pools of a dataset. */
export interface TrainDevTest {
  train: number[];
  dev: number[];
  test: number[];
}

/**
 * Splits `indices` into test (testFraction of each class), then the rest into dev (devFraction of
 * what remains, per class) and train. Streams: (seed, 'holdout', 'test' | 'dev', class).
 */
export function splitTrainDevTest(
  labels: ArrayLike<number>,
  indices: readonly number[],
  fractions: { testFraction: number; devFraction: number },
  seed: number | string,
): TrainDevTest {
  const outer = stratifiedHoldout(labels, indices, fractions.testFraction, seedKey(seed, 'holdout', 'test'));
  const inner = stratifiedHoldout(labels, outer.kept, fractions.devFraction, seedKey(seed, 'holdout', 'dev'));
  return { train: inner.kept, dev: inner.heldOut, test: outer.heldOut };
}
