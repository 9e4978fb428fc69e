/**
 * PyTorch state dicts of FedMultimodal's models as the engine's weight maps, so weights trained or
 * initialised by PyTorch (FedMultimodal checkpoints, the parity goldens) load into the engine.
 *
 * Names: ConvRNNClassifier → 'audio' (conv.convN, rnn, classifier.0 / .3), RNNClassifier → 'video'
 * (rnn, classifier.0 / .3), MMActionClassifier → 'av' (audio_conv.convN, audio_rnn, video_rnn,
 * classifier.0 / .3; its audio_proj / video_proj are used only with attention and are skipped).
 * Layouts: Conv1d weight [out, in, k] → kernel [k, in, out]; Linear weight [out, in] → kernel
 * [in, out]; GRU weight_ih / weight_hh [3u, ·] with gates (r, z, n) → kernel / recurrent_kernel
 * [·, 3u] with gates (z, r, n), and bias_ih, bias_hh → bias [2, 3u] in the same gate order.
 */
import type { WeightMap } from '../core/weights.js';
import type { ModelKind } from './model-config.js';

/** One tensor of a state dict: row-major values and PyTorch's shape. */
export interface TorchTensor {
  shape: number[];
  data: Float32Array;
}

/** Prefixes of each kind: [PyTorch module path, engine layer name, layer type]. */
const LAYERS: Record<ModelKind, ReadonlyArray<readonly [string, string, 'conv' | 'gru' | 'linear']>> = {
  audio: [
    ['conv.conv1', 'audio.conv1', 'conv'], ['conv.conv2', 'audio.conv2', 'conv'], ['conv.conv3', 'audio.conv3', 'conv'],
    ['rnn', 'audio.gru', 'gru'], ['classifier.0', 'audioHead.dense1', 'linear'], ['classifier.3', 'audioHead.out', 'linear'],
  ],
  video: [['rnn', 'video.gru', 'gru'], ['classifier.0', 'videoHead.dense1', 'linear'], ['classifier.3', 'videoHead.out', 'linear']],
  av: [
    ['audio_conv.conv1', 'audio.conv1', 'conv'], ['audio_conv.conv2', 'audio.conv2', 'conv'], ['audio_conv.conv3', 'audio.conv3', 'conv'],
    ['audio_rnn', 'audio.gru', 'gru'], ['video_rnn', 'video.gru', 'gru'],
    ['classifier.0', 'fusion.dense1', 'linear'], ['classifier.3', 'fusion.out', 'linear'],
  ],
};

/** Engine gate g (z, r, n) reads PyTorch's gate block GATE_SOURCE[g] (r, z, n). */
const GATE_SOURCE = [1, 0, 2];

function take(dict: Record<string, TorchTensor>, name: string, rank: number): TorchTensor {
  const t = dict[name];
  if (t === undefined) throw new Error(`fromTorchStateDict: '${name}' is missing from the state dict`);
  if (t.shape.length !== rank || t.data.length !== t.shape.reduce((a, b) => a * b, 1)) {
    throw new Error(`fromTorchStateDict: '${name}' has shape [${t.shape}] with ${t.data.length} values, expected rank ${rank}`);
  }
  return t;
}

/** [rows, cols] → [cols, rows]. */
function transpose2d({ shape: [rows, cols], data }: TorchTensor): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** A GRU matrix [3u, n] (r, z, n) → [n, 3u] (z, r, n). */
function gruMatrix(t: TorchTensor): Float32Array {
  const [threeU, n] = t.shape;
  const u = threeU / 3;
  const out = new Float32Array(threeU * n);
  for (let g = 0; g < 3; g++) {
    for (let j = 0; j < u; j++) {
      const row = (GATE_SOURCE[g] * u + j) * n;
      for (let i = 0; i < n; i++) out[i * threeU + g * u + j] = t.data[row + i];
    }
  }
  return out;
}

/** A GRU bias [3u] (r, z, n) → [3u] (z, r, n). */
function gruBias(t: TorchTensor): Float32Array {
  const u = t.shape[0] / 3;
  const out = new Float32Array(3 * u);
  for (let g = 0; g < 3; g++) out.set(t.data.subarray(GATE_SOURCE[g] * u, (GATE_SOURCE[g] + 1) * u), g * u);
  return out;
}

/** Conv1d weight [out, in, k] → [k, in, out]. */
function convKernel({ shape: [outDim, inDim, k], data }: TorchTensor): Float32Array {
  const out = new Float32Array(outDim * inDim * k);
  for (let o = 0; o < outDim; o++) {
    for (let i = 0; i < inDim; i++) for (let j = 0; j < k; j++) out[(j * inDim + i) * outDim + o] = data[(o * inDim + i) * k + j];
  }
  return out;
}

/** The engine weight map of a `kind` model from a PyTorch state dict of FedMultimodal's matching model. */
export function fromTorchStateDict(kind: ModelKind, dict: Record<string, TorchTensor>): WeightMap {
  const layers = LAYERS[kind];
  if (layers === undefined) throw new Error(`fromTorchStateDict: model kind ${JSON.stringify(kind)} is not one of audio, video, av`);
  const out: WeightMap = {};
  for (const [from, to, type] of layers) {
    if (type === 'gru') {
      out[`${to}/kernel`] = gruMatrix(take(dict, `${from}.weight_ih_l0`, 2));
      out[`${to}/recurrent_kernel`] = gruMatrix(take(dict, `${from}.weight_hh_l0`, 2));
      const bias = new Float32Array(2 * take(dict, `${from}.bias_ih_l0`, 1).data.length);
      bias.set(gruBias(dict[`${from}.bias_ih_l0`]), 0);
      bias.set(gruBias(take(dict, `${from}.bias_hh_l0`, 1)), bias.length / 2);
      out[`${to}/bias`] = bias;
    } else {
      const weight = take(dict, `${from}.weight`, type === 'conv' ? 3 : 2);
      out[`${to}/kernel`] = type === 'conv' ? convKernel(weight) : transpose2d(weight);
      out[`${to}/bias`] = take(dict, `${from}.bias`, 1).data.slice();
    }
  }
  return out;
}
