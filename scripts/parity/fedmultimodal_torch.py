"""A PyTorch transcription of FedMultimodal's UCF101 models and local update (usc-sail/fed-multimodal,
fed_multimodal/model/{unimodal_models,mm_models}.py and trainers/fed_avg_trainer.py, attention off),
written for modality-mirror's parity checks. It keeps FedMultimodal's behaviour, quirks included:

- Conv stack: Conv1d(k=5, padding=2) -> ReLU -> MaxPool1d(2) -> Dropout, three times, with n, 2n, 4n
  filters, over a batch zero-padded to its longest clip (collate_*_fn_padd).
- Audio GRU over the first len // 8 pooled steps of each clip (pack_padded_sequence); the audio-only
  model (ConvRNNClassifier) raises a length of 0 to 1, the audio-visual model does not.
- Video GRU over each clip's frames when the batch's first clip has video; a missing video is a
  zero array of the default shape (10 frames) with length 0, and a batch whose first length is 0 is
  not packed: the GRU runs over every zero frame.
- Mean over time is torch.mean over pad_packed_sequence's output: padded steps are zeros and the
  divisor is the longest sequence of the batch, not each clip's own length.
- Heads Linear(h, 64)-ReLU-Dropout-Linear(64, C); fusion concatenates the two means (2h).
- PyTorch's default initialisation everywhere: FedMultimodal's init_weight loops over
  self._modules, which yields names (strings), so its xavier branch never runs.
- Local update: SGD(lr, momentum 0.9, weight_decay 1e-5); NLLLoss of log_softmax(logits)
  (= cross-entropy); clip_grad_norm_(10) after backward, before step.

Models take (features [B, T, D] zero-padded, lengths int64 [B]) per modality and return logits.
"""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

DEFAULT_VIDEO_FRAMES = 10


class ConvStack(nn.Module):
    """FedMultimodal's Conv1dEncoder: [B, T, D] -> [B, T // 8, 4n]."""

    def __init__(self, input_dim, n_filters, dropout=0.1):
        super().__init__()
        self.conv1 = nn.Conv1d(input_dim, n_filters, kernel_size=5, padding=2)
        self.conv2 = nn.Conv1d(n_filters, n_filters * 2, kernel_size=5, padding=2)
        self.conv3 = nn.Conv1d(n_filters * 2, n_filters * 4, kernel_size=5, padding=2)
        self.relu = nn.ReLU()
        self.pooling = nn.MaxPool1d(kernel_size=2, stride=2)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        h = x.float().permute(0, 2, 1)
        for conv in (self.conv1, self.conv2, self.conv3):
            h = self.dropout(self.pooling(self.relu(conv(h))))
        return h.permute(0, 2, 1)


def gru_then_mean(rnn, x, lengths):
    """GRU over packed sequences (when the first length is non-zero), then torch.mean over time."""
    packed = bool(lengths[0] != 0)
    if packed:
        x = pack_padded_sequence(x, lengths.cpu().numpy(), batch_first=True, enforce_sorted=False)
    out, _ = rnn(x)
    if packed:
        out, _ = pad_packed_sequence(out, batch_first=True)
    return torch.mean(out, axis=1)


def head(d_in, num_classes, hidden=64, dropout=0.1):
    return nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, num_classes))


class AudioModel(nn.Module):
    """ConvRNNClassifier (attention off)."""

    def __init__(self, num_classes, input_dim, d_hid=128, n_filters=32):
        super().__init__()
        self.conv = ConvStack(input_dim, n_filters)
        self.rnn = nn.GRU(input_size=n_filters * 4, hidden_size=d_hid, num_layers=1, batch_first=True)
        self.classifier = head(d_hid, num_classes)

    def forward(self, x, lengths):
        h = self.conv(x)
        steps = lengths // 8
        steps[steps == 0] = 1
        return self.classifier(gru_then_mean(self.rnn, h, steps))


class VideoModel(nn.Module):
    """RNNClassifier (attention off)."""

    def __init__(self, num_classes, input_dim, d_hid=128):
        super().__init__()
        self.rnn = nn.GRU(input_size=input_dim, hidden_size=d_hid, num_layers=1, batch_first=True)
        self.classifier = head(d_hid, num_classes)

    def forward(self, x, lengths):
        return self.classifier(gru_then_mean(self.rnn, x, lengths))


class AudioVisualModel(nn.Module):
    """MMActionClassifier (attention off). audio_proj / video_proj exist in FedMultimodal's model
    (and state dict) but are used only with attention; kept so the parameter set is the same."""

    def __init__(self, num_classes, audio_input_dim, video_input_dim, d_hid=128, n_filters=32):
        super().__init__()
        self.audio_conv = ConvStack(audio_input_dim, n_filters)
        self.audio_rnn = nn.GRU(input_size=n_filters * 4, hidden_size=d_hid, num_layers=1, batch_first=True)
        self.video_rnn = nn.GRU(input_size=video_input_dim, hidden_size=d_hid, num_layers=1, batch_first=True)
        self.audio_proj = nn.Linear(d_hid, d_hid // 2)
        self.video_proj = nn.Linear(d_hid, d_hid // 2)
        self.classifier = head(d_hid * 2, num_classes)

    def forward(self, x_audio, x_video, len_a, len_v):
        a = gru_then_mean(self.audio_rnn, self.audio_conv(x_audio), len_a // 8)
        v = gru_then_mean(self.video_rnn, x_video, len_v)
        return self.classifier(torch.cat((a, v), dim=1))


def pad_batch(arrays, default_shape):
    """collate_*_fn_padd: zero-pads each clip to the batch's longest; a missing clip (None) is a zero
    array of `default_shape` with length 0."""
    clips = [torch.zeros(default_shape) if a is None else torch.as_tensor(a) for a in arrays]
    lengths = torch.tensor([0 if a is None else len(a) for a in arrays], dtype=torch.int64)
    longest = max(c.shape[0] for c in clips)
    padded = torch.stack([torch.cat([c, torch.zeros(longest - c.shape[0], c.shape[1])], 0) for c in clips])
    return padded.float(), lengths


def local_optimizer(model, lr, momentum=0.9, weight_decay=1e-5):
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)


def local_step(model, optimizer, inputs, labels, clip_norm=10.0):
    """One step of FedMultimodal's ClientFedAvg.update_weights; returns the loss."""
    model.zero_grad()
    optimizer.zero_grad()
    logits = model(*inputs)
    loss = nn.NLLLoss()(torch.log_softmax(logits, dim=1), labels)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip_norm)
    optimizer.step()
    return float(loss)
