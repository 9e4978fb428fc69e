#!/usr/bin/python3
"""PyTorch side of bench/e2e-steps.ts: CPU and wall milliseconds per step of each task kind of
bench/torch_e2e.py (its own loops, one thread) for one client of the bench's NPY data.

    /usr/bin/python3 bench/torch_e2e_steps.py DATA_DIR --client ID [--reps 3]

Prints one JSON line. Exit code 3 when torch is missing.
"""
import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import torch_e2e as e  # noqa: E402  (exits 3 with install advice when torch is missing)

torch = e.torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("--client", required=True)
    parser.add_argument("--reps", type=int, default=3)
    a = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    clips, clients, dev, test, meta = e.load(a.data_dir)
    index = next(i for i, c in enumerate(clients) if c["id"] == a.client)
    indices = clients[index]["indices"]
    mods = meta["modalities"]
    video_shape = (mods["video"]["frames"], mods["video"]["dims"])
    n_cls, d_a, d_v = len(meta["classes"]), mods["audio"]["dims"], mods["video"]["dims"]
    args = argparse.Namespace(lr=0.05, momentum=0.9, weight_decay=1e-5, epochs=5, seed=1, batch=16, clip=10.0,
                              eval_batch=16, kd_alpha=0.5, temperature=2.0)
    audio = e.AudioModel(n_cls, d_a, d_hid=64, n_filters=32)
    video = e.VideoModel(n_cls, d_v, d_hid=64)
    av = e.AudioVisualModel(n_cls, d_a, d_v, d_hid=64, n_filters=32)
    av.audio_conv, av.audio_rnn, av.video_rnn = audio.conv, audio.rnn, video.rnn
    encoders = list(audio.conv.parameters()) + list(audio.rnn.parameters()) + list(video.rnn.parameters())
    teacher = e.AudioVisualModel(n_cls, d_a, d_v, d_hid=64, n_filters=32)
    student = e.AudioModel(n_cls, d_a, d_hid=64, n_filters=32)

    def fusion():
        for p in encoders:
            p.requires_grad_(False)
        e.train_epochs(av, av.classifier.parameters(), lambda order: e.av_batches(clips, order, 16, video_shape), indices, args, 0, index, 3)
        for p in encoders:
            p.requires_grad_(True)

    train_steps = args.epochs * math.ceil(len(indices) / args.batch)
    test_items = e.audio_items(clips, test)
    kinds = [
        ("train:audio", train_steps, lambda: e.train_client(audio, e.audio_items(clips, indices), args, 0, index)),
        ("train:video", train_steps, lambda: e.train_epochs(video, video.parameters(), lambda order: e.video_batches(clips, order, 16, video_shape), indices, args, 0, index, 2)),
        ("train:av[fusion]", train_steps, fusion),
        ("distill", train_steps, lambda: e.distill_epochs(student, teacher, clips, indices, args, 0, index, video_shape)),
        ("evaluate:audio (test)", math.ceil(len(test) / 16), lambda: e.evaluate(audio, test_items, 16)),
    ]
    results = []
    for name, steps, run in kinds:
        run()  # warm-up
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(a.reps):
            run()
        results.append({"name": name, "steps": steps, "cpuMsPerStep": (time.process_time() - c0) * 1000 / a.reps / steps,
                        "wallMsPerStep": (time.perf_counter() - t0) * 1000 / a.reps / steps})
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))


if __name__ == "__main__":
    main()
