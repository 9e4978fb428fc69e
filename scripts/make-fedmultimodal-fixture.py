#!/usr/bin/env python3
r"""Writes a FedMultimodal-shaped `output/` folder (and optionally an NPY dataset folder) of random features.

Only numpy is needed, and only to produce fixtures: modality-mirror reads these files in TypeScript.

The layout is the one FedMultimodal's UCF101 scripts write (see docs/data-formats.md):

  partition/{dataset}/fold{f}/partition_alpha{A}.json            {"0": [[key, path, label], ...], ..., "dev": [...], "test": [...]}
  feature/audio/mfcc/{dataset}/alpha{A}/fold{f}/{client}.pkl       [[key, path, label, float32 (frames, dims)], ...]
  feature/video/mobilenet_v2/{dataset}/alpha{A}/fold{f}/{client}.pkl   same items, array or None
  simulation_feature/{dataset}/fold{f}/mm{R}_alpha{A}.json       items with a 4th element [missA, missV, label, missLabel]

`{client}` runs over the partition's keys, so `dev.pkl` and `test.pkl` sit beside the client pickles.

Presets:
  tiny    the committed test fixture: 11 clients (so string order differs from numeric order), 5 classes,
          audio (<=30, 8), video (<=4, 12), some None videos. To exercise every pickle path the reader
          supports, most pickles use protocol 5 with the numpy 1.x module path `numpy.core.numeric`
          (what FedMultimodal's scripts wrote with numpy 1.x); client 1 uses numpy 2's own path
          `numpy._core.numeric`; client 2's video uses protocol 4 (`_reconstruct` + BUILD); client 4's
          audio uses protocol 2 (bytes as `_codecs.encode`); one audio array of client 0 is float64.
          The simulation file holds, beyond FedMultimodal's per-client missing-modality draws, one
          noisy label and one unlabeled item so every field of the 4th element is exercised.
          With --expected, writes per-item facts and feature sums for the tests.
  ucf101  UCF101-sized: 100 clients, 51 classes, ~7,000 clips, audio (500, 80), video (10, 1280), all
          protocol 5 / numpy.core path; for load-time and memory measurements only.

Usage: make-fedmultimodal-fixture.py --out DIR [--preset tiny|ucf101] [--npy-out DIR] [--expected FILE] [--odd-out DIR] [--seed N]

The committed fixture was made with (pyenv python3, numpy 2.4):
  python3 scripts/make-fedmultimodal-fixture.py --out test/fixtures/fedmultimodal/output \
      --expected test/fixtures/fedmultimodal/expected.json --npy-out test/fixtures/npy/toy \
      --odd-out test/fixtures/fedmultimodal/odd
"""
import argparse
import json
import pickle
import types
import warnings
from pathlib import Path

import numpy as np


class Numpy1Pickler(pickle._Pickler):
    """Pure-Python pickler that writes numpy functions under their numpy 1.x module path (numpy.core.*)."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_function(self, obj, name=None):
        module = getattr(obj, "__module__", "") or ""
        if module.startswith("numpy._core") and self.proto >= 4:
            # Same opcodes pickle itself writes for a global at protocol >= 4, under the old name.
            self.save(module.replace("numpy._core", "numpy.core", 1))
            self.save(name or obj.__qualname__)
            self.write(pickle.STACK_GLOBAL)
            self.memoize(obj)
            return
        self.save_global(obj, name)

    dispatch[types.FunctionType] = save_function


def dump(path, obj, protocol=5, numpy1_path=True):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        if numpy1_path and protocol >= 4:
            Numpy1Pickler(handle, protocol=protocol).dump(obj)
        else:
            pickle.dump(obj, handle, protocol=protocol)
    # Sanity: the file must load back with numpy (numpy 2 warns when it resolves numpy.core.*).
    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pickle.load(handle)


def tag(value):
    """FedMultimodal's `str(float).replace('.', '')`: 0.1 -> '01', 5.0 -> '50'."""
    return str(float(value)).replace(".", "")


def make_items(rng, class_names, count, prefix, audio_shape, video_shape, none_video_rate, fixed_frames):
    items = []
    for n in range(count):
        label = int(rng.integers(len(class_names)))
        name = class_names[label]
        key = f"{name}/v_{name}_{prefix}{n:03d}"
        path = f"/data/ucf101/audios/{name}/v_{name}_{prefix}{n:03d}.wav"
        a_frames = audio_shape[0] if fixed_frames else int(rng.integers(audio_shape[0] // 3, audio_shape[0] + 1))
        audio = rng.standard_normal((a_frames, audio_shape[1])).astype(np.float32)
        if rng.random() < none_video_rate:
            video = None
        else:
            v_frames = video_shape[0] if fixed_frames else int(rng.integers(1, video_shape[0] + 1))
            video = rng.random((v_frames, video_shape[1])).astype(np.float32)
        items.append({"key": key, "path": path, "label": label, "audio": audio, "video": video})
    return items


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="output/ folder to write")
    parser.add_argument("--preset", default="tiny", choices=["tiny", "ucf101"])
    parser.add_argument("--npy-out", default=None, help="also write the same data as an NPY dataset folder")
    parser.add_argument("--expected", default=None, help="write per-item facts and feature sums here (JSON)")
    parser.add_argument("--odd-out", default=None, help="write small pickles exercising odd cases (dtypes, order, protocols)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    tiny = args.preset == "tiny"
    rng = np.random.default_rng(args.seed)
    dataset, alpha, fold, rate = ("toyucf", 0.1, 1, 0.5) if tiny else ("ucf101", 5.0, 1, 0.5)
    if tiny:
        class_names = ["Archery", "Basketball", "Drumming", "Haircut", "Typing"]
        num_clients, audio_shape, video_shape = 11, (30, 8), (4, 12)
        sizes = [int(rng.integers(2, 6)) for _ in range(num_clients)]
        dev_count, test_count = 6, 8
    else:
        class_names = [f"Class{c:02d}" for c in range(51)]
        num_clients, audio_shape, video_shape = 100, (500, 80), (10, 1280)
        sizes = [44] * num_clients
        dev_count, test_count = 1100, 1500

    groups = {str(c): make_items(rng, class_names, sizes[c], f"c{c:02d}_", audio_shape, video_shape, 0.2, not tiny)
              for c in range(num_clients)}
    groups["dev"] = make_items(rng, class_names, dev_count, "dev_", audio_shape, video_shape, 0.2, not tiny)
    groups["test"] = make_items(rng, class_names, test_count, "test_", audio_shape, video_shape, 0.2, not tiny)
    if tiny:
        groups["0"][1]["audio"] = groups["0"][1]["audio"].astype(np.float64)

    out = Path(args.out)
    a_tag = tag(alpha)
    partition = {name: [[it["key"], it["path"], it["label"]] for it in items] for name, items in groups.items()}
    part_path = out / "partition" / dataset / f"fold{fold}" / f"partition_alpha{a_tag}.json"
    part_path.parent.mkdir(parents=True, exist_ok=True)
    part_path.write_text(json.dumps(partition, indent=4))

    audio_dir = out / "feature" / "audio" / "mfcc" / dataset / f"alpha{a_tag}" / f"fold{fold}"
    video_dir = out / "feature" / "video" / "mobilenet_v2" / dataset / f"alpha{a_tag}" / f"fold{fold}"
    for name, items in groups.items():
        audio_list = [[it["key"], it["path"], it["label"], it["audio"]] for it in items]
        video_list = [[it["key"], it["path"], it["label"], it["video"]] for it in items]
        a_proto, v_proto, numpy1 = 5, 5, True
        if tiny and name == "1":
            numpy1 = False
        if tiny and name == "2":
            v_proto = 4
        if tiny and name == "4":
            a_proto = 2
        dump(audio_dir / f"{name}.pkl", audio_list, a_proto, numpy1)
        dump(video_dir / f"{name}.pkl", video_list, v_proto, numpy1)

    # Missing-modality simulation, FedMultimodal style: one Bernoulli draw per client and modality.
    sim = {}
    for index, (name, items) in enumerate(groups.items()):
        np.random.seed(index)
        miss_a = int(np.random.binomial(size=1, n=1, p=rate)[0])
        np.random.seed(index * 2)
        miss_v = int(np.random.binomial(size=1, n=1, p=rate)[0])
        sim[name] = [[it["key"], it["path"], it["label"], [miss_a, miss_v, it["label"], 0]] for it in items]
    if tiny:
        # Deterministic cases for the tests instead of the draws: no client misses anything except
        # 3 (video), 5 (audio), 7 (both); client 9 has one noisy label and one unlabeled item; dev
        # is marked video-missing, which the loader must ignore (FedMultimodal never applies the
        # simulation to dev and test).
        for name, entries in sim.items():
            flags = {"3": (0, 1), "5": (1, 0), "7": (1, 1), "dev": (0, 1)}.get(name, (0, 0))
            for entry in entries:
                entry[3][0], entry[3][1] = flags
        sim["9"][0][3][2] = (sim["9"][0][2] + 1) % len(class_names)  # one noisy label
        sim["9"][1][3][3] = 1  # one unlabeled item
    sim_path = out / "simulation_feature" / dataset / f"fold{fold}" / f"mm{tag(rate)}_alpha{a_tag}.json"
    sim_path.parent.mkdir(parents=True, exist_ok=True)
    sim_path.write_text(json.dumps(sim, indent=4))

    if args.expected:
        expected = {
            "dataset": dataset, "alpha": alpha, "fold": fold, "missingRate": rate,
            "classNames": class_names, "audioShape": list(audio_shape), "videoShape": list(video_shape),
            "groups": {name: [it["key"] for it in items] for name, items in groups.items()},
            "items": {
                it["key"]: {
                    "label": it["label"],
                    "audioFrames": int(it["audio"].shape[0]),
                    "videoFrames": 0 if it["video"] is None else int(it["video"].shape[0]),
                    "audioSum": float(it["audio"].astype(np.float32).astype(np.float64).sum()),
                    "videoSum": 0.0 if it["video"] is None else float(it["video"].astype(np.float64).sum()),
                    "audioFirst": float(np.float32(it["audio"][0, 0])),
                    "audioLast": float(np.float32(it["audio"][-1, -1])),
                    "videoFirst": None if it["video"] is None else float(it["video"][0, 0]),
                }
                for items in groups.values() for it in items
            },
        }
        Path(args.expected).write_text(json.dumps(expected, indent=1))

    if args.npy_out:
        write_npy(Path(args.npy_out), f"{dataset}-npy", groups, class_names, audio_shape, video_shape)
    if args.odd_out:
        write_odd(Path(args.odd_out))


def write_odd(out):
    """Single-item feature lists whose array (or label, or container) is an edge case for the reader."""
    out.mkdir(parents=True, exist_ok=True)
    item = lambda label, array: [["Odd/v_odd", "/data/odd.wav", label, array]]
    ramp = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
    dump(out / "int64-array.pkl", item(0, np.arange(6, dtype=np.int64).reshape(2, 3)))
    dump(out / "fortran-order.pkl", item(0, np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4))))
    dump(out / "big-endian.pkl", item(1, ramp.astype(">f4")))
    dump(out / "scalar-label-3d.pkl", item(np.int64(3), ramp.reshape(1, 2, 3)))
    dump(out / "float64-protocol3.pkl", item(2, ramp.astype(np.float64)), protocol=3, numpy1_path=False)
    dump(out / "protocol0.pkl", item(0, None), protocol=0, numpy1_path=False)
    dump(out / "dict.pkl", {"a": 1})


def write_npy(out, dataset_name, groups, class_names, audio_shape, video_shape):
    """The same samples as an NPY dataset folder (docs/data-formats.md), with np.save's own headers."""
    out.mkdir(parents=True, exist_ok=True)
    order = [(name, it) for name, items in groups.items() for it in items]
    n = len(order)
    audio = np.zeros((n, *audio_shape), np.float32)
    video = np.zeros((n, *video_shape), np.float64)  # float64 on purpose: the reader converts it
    a_len = np.zeros(n, np.int64)
    v_len = np.zeros(n, np.int32)
    labels = np.zeros(n, np.int64)
    split = np.zeros(n, np.int32)
    clients = np.full(n, -1, np.int32)
    for i, (name, it) in enumerate(order):
        a = it["audio"].astype(np.float32)
        audio[i, : a.shape[0]] = a
        a_len[i] = a.shape[0]
        if it["video"] is not None:
            video[i, : it["video"].shape[0]] = it["video"]
            v_len[i] = it["video"].shape[0]
        labels[i] = it["label"]
        split[i] = {"dev": 1, "test": 2}.get(name, 0)
        if name not in ("dev", "test"):
            clients[i] = int(name)
    np.save(out / "audio.npy", audio)
    with open(out / "video.npy", "wb") as handle:
        np.lib.format.write_array(handle, video, version=(2, 0))
    with open(out / "audio_lengths.npy", "wb") as handle:
        np.lib.format.write_array(handle, a_len, version=(3, 0))
    np.save(out / "video_lengths.npy", v_len)
    np.save(out / "labels.npy", labels)
    np.save(out / "split.npy", split)
    np.save(out / "clients.npy", clients)
    (out / "keys.json").write_text(json.dumps([it["key"] for _, it in order]))
    meta = {
        "format": "modality-mirror-npy",
        "version": 1,
        "name": dataset_name,
        "classes": class_names,
        "numSamples": n,
        "modalities": {
            "audio": {"features": "audio.npy", "frames": audio_shape[0], "dims": audio_shape[1], "lengths": "audio_lengths.npy"},
            "video": {"features": "video.npy", "frames": video_shape[0], "dims": video_shape[1], "lengths": "video_lengths.npy"},
        },
        "labels": "labels.npy",
        "split": "split.npy",
        "clients": "clients.npy",
        "keys": "keys.json",
    }
    (out / "dataset.json").write_text(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
