#!/usr/bin/python3
r"""PyTorch side of `npm run bench:e2e`: a whole federated run of UniFL or ModalityMirror, written for
the benchmark, over the NPY dataset folder the bench exports (docs/data-formats.md, read with numpy).

    /usr/bin/python3 bench/torch_e2e.py DATA_DIR --method unifl|modality-mirror [--rounds 20]
        [--threads 1] [--seed 1] [--gru 64] [--filters 32] [--epochs 5] [--batch 16] [--lr 0.05]
        [--momentum 0.9] [--weight-decay 1e-5] [--clip 10] [--clients-per-round 0.25]
        [--eval-batch 16] [--kd-alpha 0.5] [--temperature 2]

Models and the local step are FedMultimodal's, from scripts/parity/fedmultimodal_torch.py (checked for
parity with the engine); the UniFL client update, batching and scoring are those of the learning
check's loop (scripts/learning-check/torch_fedavg.py). What the engine does, done the PyTorch way:

- Clients: the train clips grouped by clients.npy, ids sorted as strings; a client holds video when any
  of its clips has video length > 0. Each round samples round(clients-per-round x clients) of the
  phase's eligible clients (at least 1, at most all), numpy default_rng((seed, phase, round)).
- UniFL: each sampled client trains the audio model (Conv1d 80->32->64->128, GRU, head) `epochs`
  epochs from the global weights; the server takes the sample-weighted mean.
- ModalityMirror phase 1 (--rounds rounds), modality-wise FedAvg: every sampled client trains the audio
  model; one with video then trains the video model (GRU over the frames, head), then the fusion head
  on its two just-trained encoders, frozen (requires_grad off: no encoder gradient is computed). The
  audio model is averaged over all sampled clients, the video model and the fusion head over those
  with video. Phase 2 (--rounds rounds), federated distillation over clients with video: the teacher is
  the phase-1 audio-visual model (eval mode, frozen), the student the phase-1 audio model; loss
  a*CE(y, s) + (1-a)*T^2*KL(softmax(t/T) || softmax(s/T)) (KL summed over classes, batch mean), the
  same optimiser, clip and batch order; the server averages the student.
- Every round the global models are scored on dev and test (eval mode, batches of --eval-batch in file
  order, each zero-padded to its longest clip): UniFL's audio model; ModalityMirror's audio model (the
  student in phase 2) and its audio-visual model (phase 1 only: the frozen teacher is not scored again,
  as the engine memoises it).

Prints one JSON line per round, then a final line with wall and CPU seconds of the loop and its split
(training, evaluation, aggregation). Exit code 3 when torch is missing.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts" / "learning-check"))
sys.path.insert(0, str(HERE.parent / "scripts" / "parity"))
# torch_fedavg prints install advice and exits 3 when torch is missing.
from torch_fedavg import add_federation_args, batches, evaluate, train_client  # noqa: E402
import torch  # noqa: E402
from fedmultimodal_torch import AudioModel, AudioVisualModel, VideoModel, local_optimizer, local_step, pad_batch  # noqa: E402
from torch_train import blas_library  # noqa: E402  (bench/torch_train.py: which BLAS this torch loaded)


def load(data_dir):
    """Clips as (array of its true length, label) per sample index, plus clients, dev and test."""
    root = Path(data_dir)
    meta = json.loads((root / "dataset.json").read_text())
    mods = meta["modalities"]
    audio = np.load(root / mods["audio"]["features"], mmap_mode="r")
    audio_len = np.load(root / mods["audio"]["lengths"])
    video = np.load(root / mods["video"]["features"], mmap_mode="r")
    video_len = np.load(root / mods["video"]["lengths"])
    labels = np.load(root / meta["labels"])
    split = np.load(root / meta["split"])
    owner = np.load(root / meta["clients"])
    clips = []
    for i in range(len(labels)):
        a = np.array(audio[i, : audio_len[i]], dtype=np.float32)
        v = np.array(video[i, : video_len[i]], dtype=np.float32) if video_len[i] > 0 else None
        clips.append({"audio": a, "video": v, "label": int(labels[i])})
    by_id = {}
    for i in np.flatnonzero(split == 0):
        by_id.setdefault(str(int(owner[i])), []).append(int(i))
    clients = [{"id": cid, "indices": by_id[cid], "has_video": any(clips[i]["video"] is not None for i in by_id[cid])}
               for cid in sorted(by_id)]
    return clips, clients, [int(i) for i in np.flatnonzero(split == 1)], [int(i) for i in np.flatnonzero(split == 2)], meta


def audio_items(clips, indices):
    return [(clips[i]["audio"], clips[i]["label"]) for i in indices]


def av_batches(clips, indices, size, video_shape):
    for start in range(0, len(indices), size):
        chunk = [clips[i] for i in indices[start: start + size]]
        xa, la = pad_batch([c["audio"] for c in chunk], (1, chunk[0]["audio"].shape[1]))
        xv, lv = pad_batch([c["video"] for c in chunk], video_shape)
        yield (xa, xv, la, lv), torch.tensor([c["label"] for c in chunk], dtype=torch.int64)


def video_batches(clips, indices, size, video_shape):
    for start in range(0, len(indices), size):
        chunk = [clips[i] for i in indices[start: start + size]]
        yield pad_batch([c["video"] for c in chunk], video_shape), torch.tensor([c["label"] for c in chunk], dtype=torch.int64)


def epoch_order(n, seed, round_index, client_index, epoch, phase=0):
    generator = torch.Generator().manual_seed(int(np.random.SeedSequence([seed, phase, round_index, client_index, epoch]).generate_state(1)[0]))
    return torch.randperm(n, generator=generator).tolist()


def train_epochs(module, params, make_batches, indices, args, round_index, client_index, phase):
    """`epochs` epochs of FedMultimodal's local step over `make_batches(order)`; fresh optimiser over `params`."""
    module.train()
    optimizer = torch.optim.SGD(params, lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    for epoch in range(args.epochs):
        order = [indices[j] for j in epoch_order(len(indices), args.seed, round_index, client_index, epoch, phase)]
        for inputs, y in make_batches(order):
            local_step(module, optimizer, inputs, y, args.clip)


def distill_epochs(student, teacher, clips, indices, args, round_index, client_index, video_shape):
    student.train()
    teacher.eval()
    optimizer = local_optimizer(student, args.lr, args.momentum, args.weight_decay)
    t = args.temperature
    for epoch in range(args.epochs):
        order = [indices[j] for j in epoch_order(len(indices), args.seed, round_index, client_index, epoch, 1)]
        for (xa, xv, la, lv), y in av_batches(clips, order, args.batch, video_shape):
            with torch.no_grad():
                soft = teacher(xa, xv, la, lv)
            student.zero_grad()
            optimizer.zero_grad()
            s = student(xa, la.clone())
            hard = torch.nn.functional.cross_entropy(s, y)
            log_p = torch.log_softmax(soft / t, dim=1)
            log_q = torch.log_softmax(s / t, dim=1)
            kl = (log_p.exp() * (log_p - log_q)).sum(1).mean()
            loss = args.kd_alpha * hard + (1 - args.kd_alpha) * t * t * kl
            loss.backward()
            torch.nn.utils.clip_grad_norm_(student.parameters(), args.clip)
            optimizer.step()


def score(model, batches_of, indices, size):
    model.eval()
    correct = 0
    with torch.no_grad():
        for inputs, y in batches_of(indices, size):
            correct += int((model(*inputs).argmax(dim=1) == y).sum())
    return correct / len(indices)


def weighted_mean(states):
    """Sample-weighted mean of [(state_dict, weight)] (float64 sums, cast back)."""
    total = sum(w for _, w in states)
    first = states[0][0]
    return {k: (sum(s[k].double() * w for s, w in states) / total).to(first[k].dtype) for k in first}


def clone(state):
    return {k: v.detach().clone() for k, v in state.items()}


def sample(eligible, population, args, phase, round_index):
    k = max(1, min(len(eligible), int(np.floor(args.clients_per_round * population + 0.5)) if args.clients_per_round <= 1 else int(args.clients_per_round)))
    picked = np.random.default_rng([args.seed, phase, round_index]).choice(len(eligible), k, replace=False)
    return sorted(eligible[i] for i in picked.tolist())


class Clock:
    """Wall and CPU seconds per part of the loop."""

    def __init__(self):
        self.parts = {}

    def add(self, part, wall0, cpu0):
        wall, cpu = self.parts.get(part, (0.0, 0.0))
        self.parts[part] = (wall + time.perf_counter() - wall0, cpu + time.process_time() - cpu0)

    def split(self):
        return {k: {"wallS": round(w, 3), "cpuS": round(c, 3)} for k, (w, c) in self.parts.items()}


def timed(clock, part, fn):
    wall0, cpu0 = time.perf_counter(), time.process_time()
    try:
        return fn()
    finally:
        clock.add(part, wall0, cpu0)


def run_unifl(clips, clients, dev, test, args, num_classes, dims, clock, emit):
    model = AudioModel(num_classes, dims["audio"], d_hid=args.gru, n_filters=args.filters)
    dev_items, test_items = audio_items(clips, dev), audio_items(clips, test)
    for r in range(args.rounds):
        chosen = sample(list(range(len(clients))), len(clients), args, 0, r)
        global_state = clone(model.state_dict())
        states = []
        for c in chosen:
            items = audio_items(clips, clients[c]["indices"])
            model.load_state_dict(global_state)
            timed(clock, "training", lambda: train_client(model, items, args, r, c))
            states.append((clone(model.state_dict()), len(items)))
        timed(clock, "aggregation", lambda: model.load_state_dict(weighted_mean(states)))
        scores = timed(clock, "evaluation", lambda: {"audio": {"dev": evaluate(model, dev_items, args.eval_batch), "test": evaluate(model, test_items, args.eval_batch)}})
        emit({"round": r, "phase": "fedavg", "clients": [clients[c]["id"] for c in chosen], "scores": scores})


def run_modality_mirror(clips, clients, dev, test, args, num_classes, dims, clock, emit):
    video_shape = (dims["videoFrames"], dims["video"])
    audio = AudioModel(num_classes, dims["audio"], d_hid=args.gru, n_filters=args.filters)
    video = VideoModel(num_classes, dims["video"], d_hid=args.gru)
    av = AudioVisualModel(num_classes, dims["audio"], dims["video"], d_hid=args.gru, n_filters=args.filters)
    # One set of encoders: the audio-visual model runs the audio and video models' own encoders.
    av.audio_conv, av.audio_rnn, av.video_rnn = audio.conv, audio.rnn, video.rnn
    fusion = av.classifier
    encoders = list(audio.conv.parameters()) + list(audio.rnn.parameters()) + list(video.rnn.parameters())

    def audio_batches(indices, size):
        for x, lengths, y in batches(audio_items(clips, indices), list(range(len(indices))), size):
            yield (x, lengths), y

    def av_of(indices, size):
        return av_batches(clips, indices, size, video_shape)

    def vid_of(indices, size):
        return video_batches(clips, indices, size, video_shape)

    def scores_of(names):
        out = {}
        if "audio" in names:
            out["audio"] = {"dev": score(audio, audio_batches, dev, args.eval_batch), "test": score(audio, audio_batches, test, args.eval_batch)}
        if "teacher-av" in names:
            out["teacher-av"] = {"dev": score(av, av_of, dev, args.eval_batch), "test": score(av, av_of, test, args.eval_batch)}
        return out

    everyone = list(range(len(clients)))
    for r in range(args.rounds):
        chosen = sample([c for c in everyone if clients[c]["indices"]], len(clients), args, 0, r)
        g_audio, g_video, g_fusion = clone(audio.state_dict()), clone(video.state_dict()), clone(fusion.state_dict())
        audio_states, video_states, fusion_states = [], [], []
        for c in chosen:
            indices, n = clients[c]["indices"], len(clients[c]["indices"])
            audio.load_state_dict(g_audio)
            timed(clock, "training", lambda: train_client(audio, audio_items(clips, indices), args, r, c))
            audio_states.append((clone(audio.state_dict()), n))
            if not clients[c]["has_video"]:
                continue
            video.load_state_dict(g_video)
            fusion.load_state_dict(g_fusion)
            timed(clock, "training", lambda: train_epochs(video, video.parameters(), lambda order: vid_of(order, args.batch), indices, args, r, c, 2))
            video_states.append((clone(video.state_dict()), n))
            for p in encoders:
                p.requires_grad_(False)
            timed(clock, "training", lambda: train_epochs(av, fusion.parameters(), lambda order: av_of(order, args.batch), indices, args, r, c, 3))
            for p in encoders:
                p.requires_grad_(True)
            fusion_states.append((clone(fusion.state_dict()), n))

        def aggregate():
            audio.load_state_dict(weighted_mean(audio_states))
            video.load_state_dict(weighted_mean(video_states) if video_states else g_video)
            fusion.load_state_dict(weighted_mean(fusion_states) if fusion_states else g_fusion)

        timed(clock, "aggregation", aggregate)
        scores = timed(clock, "evaluation", lambda: scores_of(["audio", "teacher-av"]))
        emit({"round": r, "phase": "modality-wise", "clients": [clients[c]["id"] for c in chosen], "scores": scores})

    # Phase 2: the teacher is a frozen copy of the phase-1 audio-visual model; the student starts from the audio model.
    t_audio = AudioModel(num_classes, dims["audio"], d_hid=args.gru, n_filters=args.filters)
    t_video = VideoModel(num_classes, dims["video"], d_hid=args.gru)
    t_audio.load_state_dict(audio.state_dict())
    t_video.load_state_dict(video.state_dict())
    teacher = AudioVisualModel(num_classes, dims["audio"], dims["video"], d_hid=args.gru, n_filters=args.filters)
    teacher.audio_conv, teacher.audio_rnn, teacher.video_rnn = t_audio.conv, t_audio.rnn, t_video.rnn
    teacher.classifier.load_state_dict(fusion.state_dict())
    for p in teacher.parameters():
        p.requires_grad_(False)
    student = audio
    with_video = [c for c in everyone if clients[c]["has_video"]]
    for r in range(args.rounds):
        chosen = sample(with_video, len(clients), args, 1, r)
        g_student = clone(student.state_dict())
        states = []
        for c in chosen:
            indices = clients[c]["indices"]
            student.load_state_dict(g_student)
            timed(clock, "training", lambda: distill_epochs(student, teacher, clips, indices, args, r, c, video_shape))
            states.append((clone(student.state_dict()), len(indices)))
        timed(clock, "aggregation", lambda: student.load_state_dict(weighted_mean(states)))
        scores = timed(clock, "evaluation", lambda: scores_of(["audio"]))
        emit({"round": args.rounds + r, "phase": "distillation", "clients": [clients[c]["id"] for c in chosen], "scores": scores})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir")
    parser.add_argument("--method", choices=["unifl", "modality-mirror"], required=True)
    parser.add_argument("--rounds", type=int, default=20, help="rounds (per phase for modality-mirror)")
    parser.add_argument("--threads", type=int, default=1)
    add_federation_args(parser)
    parser.add_argument("--kd-alpha", type=float, default=0.5)
    parser.add_argument("--temperature", type=float, default=2.0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)  # PyTorch default initialisation, seeded
    wall0, cpu0 = time.perf_counter(), time.process_time()
    clips, clients, dev, test, meta = load(args.data_dir)
    load_s = time.perf_counter() - wall0
    mods = meta["modalities"]
    dims = {"audio": mods["audio"]["dims"], "video": mods["video"]["dims"], "videoFrames": mods["video"]["frames"]}
    num_classes = len(meta["classes"])
    clock = Clock()
    loop0, loop_cpu0 = time.perf_counter(), time.process_time()

    def emit(record):
        record["wallS"] = round(time.perf_counter() - loop0, 2)
        print(json.dumps(record), flush=True)

    run = run_unifl if args.method == "unifl" else run_modality_mirror
    run(clips, clients, dev, test, args, num_classes, dims, clock, emit)
    print(json.dumps({"final": {"method": args.method, "threads": torch.get_num_threads(), "torch": torch.__version__,
                                "blas": blas_library(), "loadS": round(load_s, 3), "loopWallS": round(time.perf_counter() - loop0, 3),
                                "loopCpuS": round(time.process_time() - loop_cpu0, 3), "split": clock.split(),
                                "clients": len(clients), "clientsWithVideo": sum(c["has_video"] for c in clients),
                                "config": vars(args)}}), flush=True)


if __name__ == "__main__":
    main()
