#!/usr/bin/python3
r"""An independent PyTorch FedAvg UniFL loop over a FedMultimodal `output/` folder, for the learning
check (docs/learning-check.md). It shares no code with the engine: the model and local step are
scripts/parity/fedmultimodal_torch.py (a transcription of FedMultimodal's ConvRNNClassifier and
ClientFedAvg.update_weights); data are read from the partition JSON and the audio pickles with the
standard library and numpy.

    /usr/bin/python3 scripts/learning-check/torch_fedavg.py OUTPUT_DIR [--dataset digits-av] [--alpha 0.5]
        [--fold 1] [--rounds 160] [--seed 1] [--gru 64] [--filters 32] [--epochs 5] [--batch 16]
        [--lr 0.05] [--momentum 0.9] [--weight-decay 1e-5] [--clip 10] [--clients-per-round 0.25]
        [--eval-batch 16]

Each round: a seeded sample (numpy default_rng((seed, round))) of clients-per-round x clients, without
replacement; each selected client loads the global state dict, builds a fresh SGD optimiser and
trains `epochs` epochs over its clips in batches (reshuffled each epoch, torch.Generator seeded by
(seed, round, client, epoch); the last batch may be short), in train mode (dropout on); the server
takes the sample-weighted mean of every state-dict entry. The global model is then scored on dev
and test (eval mode, batches of --eval-batch in file order, each zero-padded to its longest clip).
Prints one JSON line per round, then a final JSON line with the test accuracy at the round of best
dev accuracy (ties: the earlier round). Exit code 3 when torch is missing.
"""
import argparse
import json
import pickle
import sys
import time
import warnings
from pathlib import Path

import numpy as np

try:
    import torch
except ImportError:
    print(json.dumps({"error": "torch is not installed: apt-get install -y python3-torch, then run with /usr/bin/python3"}))
    sys.exit(3)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "parity"))
from fedmultimodal_torch import AudioModel, local_optimizer, local_step, pad_batch  # noqa: E402


def tag(value):
    return str(float(value)).replace(".", "")


def read_group(path):
    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # numpy 2 warns on numpy.core.* names
        items = pickle.load(handle)
    return [(np.asarray(item[-1], dtype=np.float32), int(item[-2])) for item in items]


def load(output_dir, dataset, alpha, fold):
    root = Path(output_dir)
    partition = json.loads((root / "partition" / dataset / f"fold{fold}" / f"partition_alpha{tag(alpha)}.json").read_text())
    feature_dir = root / "feature" / "audio" / "mfcc" / dataset / f"alpha{tag(alpha)}" / f"fold{fold}"
    groups = {}
    for name, entries in partition.items():
        items = read_group(feature_dir / f"{name}.pkl")
        if [y for _, y in items] != [int(e[2]) for e in entries]:
            sys.exit(f"{feature_dir / name}.pkl: labels differ from the partition")
        groups[name] = items
    clients = sorted(k for k in groups if k not in ("dev", "test"))  # string order, as os.listdir sorted
    return groups, clients


def batches(items, indices, size):
    for start in range(0, len(indices), size):
        chunk = [items[i] for i in indices[start: start + size]]
        x, lengths = pad_batch([a for a, _ in chunk], (1, chunk[0][0].shape[1]))
        yield x, lengths, torch.tensor([y for _, y in chunk], dtype=torch.int64)


def evaluate(model, items, size):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, lengths, y in batches(items, list(range(len(items))), size):
            correct += int((model(x, lengths).argmax(dim=1) == y).sum())
    return correct / len(items)


def train_client(model, items, args, round_index, client_index):
    model.train()
    optimizer = local_optimizer(model, args.lr, args.momentum, args.weight_decay)
    for epoch in range(args.epochs):
        generator = torch.Generator().manual_seed(int(np.random.SeedSequence([args.seed, round_index, client_index, epoch]).generate_state(1)[0]))
        order = torch.randperm(len(items), generator=generator).tolist()
        for x, lengths, y in batches(items, order, args.batch):
            local_step(model, optimizer, (x, lengths), y, args.clip)


def add_federation_args(parser):
    """The seed, model sizes, local step and sampling options, with FedMultimodal's defaults (shared with bench/torch_e2e.py)."""
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gru", type=int, default=64)
    parser.add_argument("--filters", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--weight-decay", type=float, default=1e-5)
    parser.add_argument("--clip", type=float, default=10.0)
    parser.add_argument("--clients-per-round", type=float, default=0.25)
    parser.add_argument("--eval-batch", type=int, default=16)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output_dir")
    parser.add_argument("--dataset", default="digits-av")
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--fold", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=160)
    add_federation_args(parser)
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)  # PyTorch default initialisation, seeded
    groups, clients = load(args.output_dir, args.dataset, args.alpha, args.fold)
    num_classes = 1 + max(y for items in groups.values() for _, y in items)
    dims = groups["dev"][0][0].shape[1]
    model = AudioModel(num_classes, dims, d_hid=args.gru, n_filters=args.filters)
    per_round = max(1, int(args.clients_per_round * len(clients)))
    started = time.time()
    history = []
    for r in range(args.rounds):
        chosen = sorted(np.random.default_rng([args.seed, r]).choice(len(clients), per_round, replace=False).tolist())
        global_state = {k: v.clone() for k, v in model.state_dict().items()}
        total, summed = 0, None
        for c in chosen:
            items = groups[clients[c]]
            model.load_state_dict(global_state)
            train_client(model, items, args, r, c)
            state = model.state_dict()
            weight = len(items)
            summed = {k: v.double() * weight for k, v in state.items()} if summed is None else {k: summed[k] + state[k].double() * weight for k in summed}
            total += weight
        model.load_state_dict({k: (summed[k] / total).to(global_state[k].dtype) for k in summed})
        record = {"round": r, "clients": [clients[c] for c in chosen],
                  "dev": evaluate(model, groups["dev"], args.eval_batch),
                  "test": evaluate(model, groups["test"], args.eval_batch),
                  "wallS": round(time.time() - started, 1)}
        history.append(record)
        print(json.dumps(record), flush=True)
    best = max(history, key=lambda h: (h["dev"], -h["round"]))
    print(json.dumps({"final": {"bestDevRound": best["round"], "bestDev": best["dev"], "testAtBestDev": best["test"],
                                "lastTest": history[-1]["test"], "rounds": args.rounds, "wallS": round(time.time() - started, 1),
                                "config": vars(args), "torch": torch.__version__}}), flush=True)


if __name__ == "__main__":
    main()
