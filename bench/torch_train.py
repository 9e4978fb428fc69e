#!/usr/bin/env python3
"""PyTorch side of `npm run bench:train`: trains the same FedMultimodal-shaped models on CPU with one
thread and prints samples/s as JSON (one line).

    /usr/bin/python3 bench/torch_train.py '<json>'
    /usr/bin/python3 bench/torch_train.py '{"gemm": [[m, k, n], ...]}'   (GFLOP/s of torch.mm)

where <json> is {"cases": [{"name", "kind", "config", "batchSize", "batches", "repeats"}]} with
`config` the project's ModelConfig. The architecture mirrors src/model: per conv block Conv1d
(kernel k, 'same' padding) + ReLU -> MaxPool1d(2) -> Dropout; GRU (batch_first, all steps) and a
masked mean over time; heads Linear(., headHidden)-ReLU-Dropout-Linear(., classes); the audio-visual
model concatenates the two pooled states. Optimiser as in src/train: SGD lr 0.05, momentum 0.9,
weight decay 1e-5, gradient-norm clip 10, softmax cross-entropy. Exit code 3 when torch is missing.
"""
import json
import statistics
import sys
import time

try:
    import torch
    from torch import nn
except ImportError:
    print(json.dumps({"error": "torch is not installed: apt-get install -y python3-torch, then run with /usr/bin/python3"}))
    sys.exit(3)


class AudioEncoder(nn.Module):
    def __init__(self, a, dropout):
        super().__init__()
        layers, cin = [], a["dims"]
        for cout in a["convChannels"]:
            k = a["kernelSize"]
            # 'same' padding as TensorFlow splits it: left (k-1)//2, right the rest.
            layers += [nn.ConstantPad1d(((k - 1) // 2, k - 1 - (k - 1) // 2), 0.0), nn.Conv1d(cin, cout, k),
                       nn.ReLU(), nn.MaxPool1d(2), nn.Dropout(dropout)]
            cin = cout
        self.conv = nn.Sequential(*layers)
        self.gru = nn.GRU(cin, a["gruUnits"], batch_first=True)

    def forward(self, x, mask):
        h = self.conv(x.transpose(1, 2)).transpose(1, 2)
        h, _ = self.gru(h)
        return masked_mean(h, mask)


class VideoEncoder(nn.Module):
    def __init__(self, v):
        super().__init__()
        self.gru = nn.GRU(v["dims"], v["gruUnits"], batch_first=True)

    def forward(self, x, mask):
        h, _ = self.gru(x)
        return masked_mean(h, mask)


def masked_mean(h, mask):
    return (h * mask.unsqueeze(2)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)


def head(inputs, c):
    return nn.Sequential(nn.Linear(inputs, c["headHidden"]), nn.ReLU(), nn.Dropout(c["dropout"]),
                         nn.Linear(c["headHidden"], c["numClasses"]))


class Model(nn.Module):
    def __init__(self, kind, c):
        super().__init__()
        self.kind = kind
        width = 0
        if kind in ("audio", "av"):
            self.audio = AudioEncoder(c["audio"], c["dropout"])
            width += c["audio"]["gruUnits"]
        if kind in ("video", "av"):
            self.video = VideoEncoder(c["video"])
            width += c["video"]["gruUnits"]
        self.head = head(width, c)

    def forward(self, batch):
        parts = []
        if self.kind in ("audio", "av"):
            parts.append(self.audio(batch["audio"], batch["audio_mask"]))
        if self.kind in ("video", "av"):
            parts.append(self.video(batch["video"], batch["video_mask"]))
        return self.head(torch.cat(parts, 1) if len(parts) > 1 else parts[0])


def pooled_frames(c):
    frames = c["audio"]["frames"]
    for _ in c["audio"]["convChannels"]:
        frames //= 2
    return frames


def make_batches(kind, c, batch_size, count, gen):
    """`count` distinct random batches with 60-100% real lengths, built before timing."""
    out = []
    for _ in range(count):
        b = {"labels": torch.randint(0, c["numClasses"], (batch_size,), generator=gen)}
        if kind in ("audio", "av"):
            steps = pooled_frames(c)
            b["audio"] = torch.randn(batch_size, c["audio"]["frames"], c["audio"]["dims"], generator=gen)
            lengths = (steps * (0.6 + 0.4 * torch.rand(batch_size, generator=gen))).ceil()
            b["audio_mask"] = (torch.arange(steps).unsqueeze(0) < lengths.unsqueeze(1)).float()
        if kind in ("video", "av"):
            frames = c["video"]["frames"]
            b["video"] = torch.randn(batch_size, frames, c["video"]["dims"], generator=gen)
            lengths = (frames * (0.6 + 0.4 * torch.rand(batch_size, generator=gen))).ceil()
            b["video_mask"] = (torch.arange(frames).unsqueeze(0) < lengths.unsqueeze(1)).float()
        out.append(b)
    return out


def train_steps(model, optimizer, loss_fn, batches, steps):
    for i in range(steps):
        b = batches[i % len(batches)]
        optimizer.zero_grad()
        loss = loss_fn(model(b), b["labels"])
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        optimizer.step()


def measure(case):
    c, kind, bs, steps = case["config"], case["kind"], case["batchSize"], case["batches"]
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = Model(kind, c)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-5)
    loss_fn = nn.CrossEntropyLoss()
    batches = make_batches(kind, c, bs, min(steps, 8), gen)
    train_steps(model, optimizer, loss_fn, batches, 2)  # warm-up
    rates, cpu_rates = [], []
    for _ in range(case.get("repeats", 1)):
        t0, c0 = time.perf_counter(), time.process_time()
        train_steps(model, optimizer, loss_fn, batches, steps)
        rates.append(steps * bs / (time.perf_counter() - t0))
        cpu_rates.append(steps * bs / (time.process_time() - c0))
    return {"name": case["name"], "samplesPerSecond": statistics.median(rates),
            "samplesPerCpuSecond": statistics.median(cpu_rates), "all": rates}


def blas_library():
    """Which BLAS the process loaded (Debian's torch uses whatever libblas.so.3 resolves to)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    names = sorted(p.rsplit("/", 1)[-1] for p in paths)
    if any("openblas" in p for p in paths):
        return "openblas (" + ", ".join(names) + ")"
    return "reference (" + ", ".join(names) + ")" if names else "unknown"


def gemm_rate(m, k, n):
    """GFLOP/s of one float32 matrix product [m,k]x[k,n] (median of 5 timed batches)."""
    a, b = torch.randn(m, k), torch.randn(k, n)
    reps = max(3, int(2e8 / (2 * m * k * n)))
    for _ in range(2):
        torch.mm(a, b)
    rates = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b)
        rates.append(2 * m * k * n * reps / (time.perf_counter() - t0) / 1e9)
    return statistics.median(rates)


def main():
    torch.set_num_threads(1)
    spec = json.loads(sys.argv[1])
    if "gemm" in spec:
        rates = [gemm_rate(*shape) for shape in spec["gemm"]]
        print(json.dumps({"torch": torch.__version__, "blas": blas_library(), "gflops": rates}))
        return
    results = [measure(case) for case in spec["cases"]]
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library(),
                      "results": results}))


if __name__ == "__main__":
    main()
