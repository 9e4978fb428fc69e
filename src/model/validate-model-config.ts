/**
 * Checks a ModelConfig before any model is built, so a bad size fails with the field and value
 * instead of a shape error deep inside tfjs.
 */
import { ConfigError } from '../core/errors.js';
import type { ModelConfig } from './model-config.js';

function positiveInt(source: string, field: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new ConfigError(source, field, value, 'a positive integer');
  }
}

/** Throws ConfigError (naming `source` and the field) when `config` cannot describe a model. */
export function validateModelConfig(config: ModelConfig, source = 'ModelConfig'): void {
  positiveInt(source, 'numClasses', config.numClasses);
  positiveInt(source, 'audio.frames', config.audio.frames);
  positiveInt(source, 'audio.dims', config.audio.dims);
  positiveInt(source, 'audio.kernelSize', config.audio.kernelSize);
  positiveInt(source, 'audio.gruUnits', config.audio.gruUnits);
  if (!Array.isArray(config.audio.convChannels)) {
    throw new ConfigError(source, 'audio.convChannels', config.audio.convChannels, 'a list of positive integers');
  }
  config.audio.convChannels.forEach((c, i) => positiveInt(source, `audio.convChannels[${i}]`, c));
  const pooled = config.audio.frames >> config.audio.convChannels.length;
  if (pooled < 1) {
    throw new ConfigError(
      source,
      'audio.frames',
      config.audio.frames,
      `at least 2^${config.audio.convChannels.length} (one MaxPool 2 per conv block)`,
    );
  }
  positiveInt(source, 'video.frames', config.video.frames);
  positiveInt(source, 'video.dims', config.video.dims);
  positiveInt(source, 'video.gruUnits', config.video.gruUnits);
  positiveInt(source, 'headHidden', config.headHidden);
  if (!(typeof config.dropout === 'number' && config.dropout >= 0 && config.dropout < 1)) {
    throw new ConfigError(source, 'dropout', config.dropout, 'a number in [0, 1)');
  }
}
