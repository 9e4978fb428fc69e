/**
 * The model contract: which network a task runs and the sizes of the FedMultimodal-shaped models.
 * Plain data, shared by the builders (src/model), the trainers (src/train) and everything above.
 */

/** Which network a task runs: audio-only, video-only, or the audio-visual fusion model. */
export type ModelKind = 'audio' | 'video' | 'av';

/** Sizes of the FedMultimodal-shaped models (see ../shared/DESIGN.md). */
export interface ModelConfig {
  numClasses: number;
  audio: {
    frames: number;
    dims: number;
    /** Output channels of each Conv1d (FedMultimodal: [32, 64, 128]); each is followed by ReLU, MaxPool 2, Dropout. */
    convChannels: number[];
    kernelSize: number;
    gruUnits: number;
  };
  video: { frames: number; dims: number; gruUnits: number };
  /** Hidden width of every classifier head (FedMultimodal: 64). */
  headHidden: number;
  /** Dropout rate used after convs and inside heads (FedMultimodal: 0.1). */
  dropout: number;
  /**
   * How sequences of different lengths are pooled (default 'fedmultimodal'; see
   * src/model/sequence-masks.ts): FedMultimodal's packed-GRU-then-torch.mean semantics, or
   * 'per-clip', a mean over each clip's own steps with missing video pooled to zeros.
   */
  pooling?: SequencePooling;
  /** Initial weights: PyTorch's defaults (FedMultimodal's models; the default) or Keras's. */
  init?: InitScheme;
}

/** Sequence pooling semantics of the encoders' mean over time. */
export type SequencePooling = 'fedmultimodal' | 'per-clip';

/** Initialisation recipe for initial weights. */
export type InitScheme = 'pytorch' | 'keras';

