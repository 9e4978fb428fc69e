/**
 * `dataset.json`, the descriptor of an NPY dataset folder (docs/data-formats.md): names the arrays
 * and states their shapes, so every array can be checked against it before anything is loaded.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DataError } from '../../core/errors.js';

const fileName = z.string().min(1);

const modalitySchema = z.object({
  /** [N, frames, dims] float32 or float64 features. */
  features: fileName,
  frames: z.number().int().min(1),
  dims: z.number().int().min(1),
  /** Optional [N] ints: valid frames per sample (0 = modality missing for that sample). */
  lengths: fileName.optional(),
});

/** The schema of dataset.json, version 1. */
export const datasetJsonSchema = z.object({
  format: z.literal('modality-mirror-npy'),
  version: z.literal(1),
  name: z.string().min(1),
  /** Class names; labels are indices into this list. */
  classes: z.array(z.string()).min(1),
  /** Optional; when given every array must have this many samples. */
  numSamples: z.number().int().min(1).optional(),
  modalities: z.object({ audio: modalitySchema, video: modalitySchema.optional() }),
  /** [N] ints in [0, classes.length). */
  labels: fileName,
  /** [N] ints: 0 = train, 1 = dev, 2 = test. */
  split: fileName,
  /** Optional [N] ints: client id of each train sample (dev/test entries are ignored, -1 by convention). */
  clients: fileName.optional(),
  /** Optional JSON file holding an array of N sample keys (strings), used in messages and reports. */
  keys: fileName.optional(),
});

/** A parsed dataset.json. */
export type DatasetJson = z.infer<typeof datasetJsonSchema>;

/** Reads and validates `file`; every problem is a DataError naming the field. */
export function readDatasetJson(file: string): DatasetJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(file, null, code ? 'file' : 'json', code === 'ENOENT' ? 'missing (no such file)' : (err as Error).message);
  }
  const result = datasetJsonSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DataError(file, null, issue.path.join('.') || 'top level', issue.message);
  }
  return result.data;
}
