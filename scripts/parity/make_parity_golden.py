#!/usr/bin/env python3
"""Writes test/fixtures/parity/{audio,video,av}.json: small golden files for the parity test
(test/model/torch-parity.test.ts), which compares the engine's models with PyTorch's without torch.

    /usr/bin/python3 scripts/parity/make_parity_golden.py [OUT_DIR]

Each file holds, for one model of fedmultimodal_torch.py (FedMultimodal's ConvRNNClassifier,
RNNClassifier, MMActionClassifier at small sizes): PyTorch's default-initialised weights, a data set
of clips of mixed lengths, the batches of four local epochs in order, and PyTorch's results with
dropout off (eval mode): logits of every batch at the initial weights, the loss and the gradients
of the first batch, the weights after the first and after the last step (by step index), and the
loss of each step. With dropout on (train mode), statistics of `repeats` independent local epochs from the same
weights (own shuffle and dropout each): the epoch's mean loss and the distance moved by the weights.
Float arrays are base64 float32 little-endian. Exit code 3 when torch is missing.
"""
import base64
import json
import os
import sys

try:
    import numpy as np
    import torch
except ImportError:
    print("torch is not installed: apt-get install -y python3-torch, then run with /usr/bin/python3", file=sys.stderr)
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedmultimodal_torch as fm  # noqa: E402

torch.set_num_threads(1)
CLASSES, AUDIO_DIMS, VIDEO_DIMS, FILTERS, HIDDEN = 5, 8, 12, 4, 6
HYPER = {"lr": 0.05, "momentum": 0.9, "weightDecay": 1e-5, "clipNorm": 10.0}
REPEATS = 40


def b64(array):
    a = np.ascontiguousarray(np.asarray(array, dtype="<f4"))
    return {"shape": list(a.shape), "f32": base64.b64encode(a.tobytes()).decode("ascii")}


def state(model):
    return {k: b64(v.detach().numpy()) for k, v in model.state_dict().items()}


def make_samples(rng, n, audio_lengths, with_video, video_missing_from=None):
    samples = []
    for i in range(n):
        label = i % CLASSES
        a_len = int(audio_lengths[i])
        audio = rng.normal(0, 1, (a_len, AUDIO_DIMS)).astype("f4")
        audio[:, label % AUDIO_DIMS] += 1.0
        video = None
        if with_video and (video_missing_from is None or i < video_missing_from):
            v_len = int(rng.integers(1, fm.DEFAULT_VIDEO_FRAMES + 1))
            video = rng.normal(0, 1, (v_len, VIDEO_DIMS)).astype("f4")
            video[:, label % VIDEO_DIMS] += 1.0
        samples.append({"label": label, "audio": audio, "video": video})
    return samples


def inputs_of(kind, samples, idx):
    pick = [samples[i] for i in idx]
    labels = torch.tensor([s["label"] for s in pick], dtype=torch.int64)
    if kind == "audio":
        return fm.pad_batch([s["audio"] for s in pick], None), labels
    if kind == "video":
        return fm.pad_batch([s["video"] for s in pick], None), labels
    xa, la = fm.pad_batch([s["audio"] for s in pick], None)
    xv, lv = fm.pad_batch([s["video"] for s in pick], (fm.DEFAULT_VIDEO_FRAMES, VIDEO_DIMS))
    return (xa, xv, la, lv), labels


def build(kind):
    if kind == "audio":
        return fm.AudioModel(CLASSES, AUDIO_DIMS, d_hid=HIDDEN, n_filters=FILTERS)
    if kind == "video":
        return fm.VideoModel(CLASSES, VIDEO_DIMS, d_hid=HIDDEN)
    return fm.AudioVisualModel(CLASSES, AUDIO_DIMS, VIDEO_DIMS, d_hid=HIDDEN, n_filters=FILTERS)


def golden(kind, seed):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    if kind == "audio":
        # One clip shorter than 8 frames: ConvRNNClassifier raises its pooled length from 0 to 1.
        lengths = np.concatenate([[5, 40], rng.integers(8, 41, 20)])
        samples = make_samples(rng, 22, lengths, with_video=False)
        groups = [list(range(22))]
    elif kind == "video":
        samples = make_samples(rng, 22, np.full(22, 8), with_video=True)
        groups = [list(range(22))]
    else:
        lengths = np.concatenate([[8, 40], rng.integers(8, 41, 20)])
        # The last 6 clips have no video: a batch of their own, zero-filled as FedMultimodal does.
        samples = make_samples(rng, 22, lengths, with_video=True, video_missing_from=16)
        groups = [list(range(16)), list(range(16, 22))]
    model = build(kind)
    init = {k: v.clone() for k, v in model.state_dict().items()}
    batches = []
    for epoch in range(4):
        for group in groups:
            order = list(rng.permutation(group))
            batches += [[int(i) for i in order[j:j + 8]] for j in range(0, len(order), 8)]
    # Dropout off: eval mode everywhere (the GRU has no train/eval difference).
    model.eval()
    logits0 = []
    with torch.no_grad():
        for idx in batches:
            inputs, _ = inputs_of(kind, samples, idx)
            logits0.append(b64(model(*inputs).numpy()))
    inputs, labels = inputs_of(kind, samples, batches[0])
    loss = torch.nn.NLLLoss()(torch.log_softmax(model(*inputs), dim=1), labels)
    loss.backward()
    grads0 = {k: b64(p.grad.numpy()) for k, p in model.named_parameters() if p.grad is not None}
    model.zero_grad()
    optimizer = fm.local_optimizer(model, HYPER["lr"], HYPER["momentum"], HYPER["weightDecay"])
    losses, after = [], {}
    for step, idx in enumerate(batches):
        inputs, labels = inputs_of(kind, samples, idx)
        losses.append(fm.local_step(model, optimizer, inputs, labels, HYPER["clipNorm"]))
        if step in (0, len(batches) - 1):
            after[str(step)] = state(model)
    # Dropout on: independent local epochs from the initial weights, each with its own shuffle.
    stats = {"meanLoss": [], "distance": []}
    pool = groups[0]
    for r in range(REPEATS):
        model.load_state_dict(init)
        model.train()
        optimizer = fm.local_optimizer(model, HYPER["lr"], HYPER["momentum"], HYPER["weightDecay"])
        order = [pool[i] for i in torch.randperm(len(pool)).tolist()]
        step_losses = []
        for j in range(0, len(order), 8):
            inputs, labels = inputs_of(kind, samples, order[j:j + 8])
            step_losses.append(fm.local_step(model, optimizer, inputs, labels, HYPER["clipNorm"]))
        moved = sum(float(((model.state_dict()[k] - init[k]) ** 2).sum()) for k in init)
        stats["meanLoss"].append(float(np.mean(step_losses)))
        stats["distance"].append(moved ** 0.5)
    return {
        "kind": kind,
        "torch": torch.__version__,
        "generatedBy": "scripts/parity/make_parity_golden.py",
        "config": {
            "numClasses": CLASSES,
            "audio": {"frames": 40, "dims": AUDIO_DIMS, "convChannels": [FILTERS, 2 * FILTERS, 4 * FILTERS], "kernelSize": 5, "gruUnits": HIDDEN},
            "video": {"frames": fm.DEFAULT_VIDEO_FRAMES, "dims": VIDEO_DIMS, "gruUnits": HIDDEN},
            "headHidden": 64,
            "dropout": 0.1,
        },
        "hyper": HYPER,
        "samples": [
            {"label": s["label"], "audio": b64(s["audio"]), "video": None if s["video"] is None else b64(s["video"])}
            for s in samples
        ],
        "batches": batches,
        "init": {k: b64(v.numpy()) for k, v in init.items()},
        "logits0": logits0,
        "loss0": float(loss),
        "grads0": grads0,
        "losses": losses,
        "afterStep": after,
        "dropout": {"repeats": REPEATS, "samples": pool, "batchSize": 8, **stats},
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "test", "fixtures", "parity")
    os.makedirs(out, exist_ok=True)
    for seed, kind in enumerate(["audio", "video", "av"], start=11):
        path = os.path.join(out, f"{kind}.json")
        with open(path, "w") as f:
            json.dump(golden(kind, seed), f, separators=(",", ":"))
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
