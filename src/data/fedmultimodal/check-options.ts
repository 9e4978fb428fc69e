/**
 * Validates FedMultimodal loader options before any file is opened, so a typo in a flag reads as a
 * ConfigError naming the field rather than as a missing file deep in the output folder.
 */
import { ConfigError } from '../../core/errors.js';
import type { FedMultimodalOptions } from './load-fedmultimodal.js';
import { checkLoadMode } from '../lazy-samples.js';

const SOURCE = 'fedmultimodal dataset';

/** Throws a ConfigError for the first invalid option. */
export function checkOptions(opts: FedMultimodalOptions): void {
  nonEmptyName(opts.outputDir, 'outputDir', false);
  nonEmptyName(opts.dataset, 'dataset', true);
  if (typeof opts.alpha === 'number' ? !(opts.alpha > 0 && Number.isFinite(opts.alpha)) : !/^[0-9.]+$/.test(String(opts.alpha))) {
    throw new ConfigError(SOURCE, 'alpha', opts.alpha, 'a positive number (0.1 reads partition_alpha01.json)');
  }
  positiveInt(opts.fold, 'fold');
  if (opts.missingFile !== undefined && opts.missingRate !== undefined) {
    throw new ConfigError(SOURCE, 'missingRate', opts.missingRate, 'give either missingFile or missingRate, not both');
  }
  if (opts.missingFile !== undefined) nonEmptyName(opts.missingFile, 'missingFile', false);
  if (opts.missingRate !== undefined && !(opts.missingRate >= 0 && opts.missingRate <= 1)) {
    throw new ConfigError(SOURCE, 'missingRate', opts.missingRate, 'a rate in [0, 1] (0.5 reads mm05_alpha{A}.json)');
  }
  for (const field of ['numClasses', 'maxAudioFrames', 'maxVideoFrames'] as const) {
    if (opts[field] !== undefined) positiveInt(opts[field], field);
  }
  if (opts.audioFeature !== undefined) nonEmptyName(opts.audioFeature, 'audioFeature', true);
  if (opts.videoFeature !== undefined) nonEmptyName(opts.videoFeature, 'videoFeature', true);
  checkLoadMode(opts.load, SOURCE);
}

function nonEmptyName(value: unknown, field: string, plainName: boolean): void {
  if (typeof value !== 'string' || value.length === 0 || (plainName && /[/\\]|^\.\.?$/.test(value))) {
    throw new ConfigError(SOURCE, field, value, plainName ? 'a non-empty folder name without slashes' : 'a non-empty path');
  }
}

function positiveInt(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(SOURCE, field, value, 'a positive integer');
  }
}
