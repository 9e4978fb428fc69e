#!/usr/bin/python3
r"""Writes "digits-av", a small, hard audio-visual set made from real data that Debian packages ship,
in FedMultimodal's on-disk layout (docs/data-formats.md), for the learning check (docs/learning-check.md).

    /usr/bin/python3 scripts/learning-check/make_hard_av_set.py OUT_DIR [--seed 1] [--snr-db=-6,0] [--talkers 4]

Needs numpy, scikit-learn (python3-sklearn: its bundled `load_digits`), espeak-ng and sox. Everything
is drawn from one seeded numpy Generator, so the same seed gives the same files (espeak-ng and sox
are deterministic for fixed arguments; sox runs with -R -D, without dither, which would be random).

- Labels: the 10 digits. Each of sklearn's 1,797 8x8 handwritten digit images is one clip.
- Video: 3-8 frames per clip (seeded); each frame is the image shifted by -1..1 pixel in x and y
  (zero fill) plus Gaussian noise (sd 2 on the 0-16 scale), divided by 16, flattened: 64 dims.
- Audio: a fresh utterance of the digit's English word ("zero".."nine") by espeak-ng with a seeded
  voice (8 English voices), voice variant (19), speed (130-210 wpm) and pitch (25-75), resampled to
  16 kHz by sox, with 0-0.3 s of silence added before and after, then noise at a per-clip SNR drawn
  uniformly from --snr-db (default -6..0 dB, relative to the power of the utterance before the
  silence is added): half of the noise power white Gaussian, half babble of --talkers (4) streams of
  other utterances of the same split (train, dev or test) played back to back, i.e. other spoken
  digits. Peak-normalised and written to OUT_DIR/wav/{word}/d{index}.wav as 16-bit WAV.
- Audio features as FedMultimodal computes them for UCF101 (Kaldi-style log-mel filterbank, here in
  numpy): 80 mel bins, 40 ms Hamming window, 20 ms shift, DC removed, pre-emphasis 0.97, 1024-point
  FFT power, triangular mel filters 20 Hz-8 kHz, natural log (floor: float32 epsilon), then
  z-normalised per clip (each mel bin over the clip's frames). Lengths vary with the utterance.
- Split, FedMultimodal style (drawn first: it depends on the labels only): 20% of the clips
  (stratified by label) are the test set; of the rest, 20% are held out as dev; the remaining training clips go to 20 clients by Dirichlet(alpha=0.5)
  label skew (FedMultimodal's recipe: per class, shuffle, draw proportions, zero the share of clients
  already at N/clients, cut; redraw until every client has >= 10 clips).
- Written under OUT_DIR/output/: partition/digits-av/fold1/partition_alpha05.json, the audio and video
  feature pickles of every client, dev and test, and simulation_feature/digits-av/fold1/mm00_alpha05.json
  (no missing modality). Keys are "{word}/d{index}" so class names come from the key prefixes.
"""
import argparse
import importlib.util
import json
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

HERE = Path(__file__).resolve().parent
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# espeak-ng's own English voices (`espeak-ng --voices=en`, the gmw/ ones; the mb/ voices need MBROLA).
VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"]
# Voice variants (`espeak-ng --voices=variant`): male, female, Klatt synthesiser, croak and whisper.
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f4", "f5",
            "klatt", "klatt2", "klatt3", "croak", "whisper", "whisperf"]
SAMPLE_RATE = 16000
DATASET, FOLD, ALPHA, NUM_CLIENTS = "digits-av", 1, 0.5, 20


def load_fixture_writer():
    """scripts/make-fedmultimodal-fixture.py (its dump() and tag() write FedMultimodal's pickles and names)."""
    path = HERE.parent / "make-fedmultimodal-fixture.py"
    spec = importlib.util.spec_from_file_location("make_fedmultimodal_fixture", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- audio

def synthesize(word, voice, variant, speed, pitch):
    """espeak-ng -> sox (16 kHz mono 16-bit; -R -D: repeatable, no dither) -> float64 samples in [-1, 1)."""
    wav = subprocess.run(["espeak-ng", "-v", f"{voice}+{variant}", "-s", str(speed), "-p", str(pitch), "--stdout", word],
                         check=True, capture_output=True).stdout
    raw = subprocess.run(["sox", "-R", "-D", "-t", "wav", "-", "-t", "raw", "-r", str(SAMPLE_RATE), "-e", "signed-integer", "-b", "16", "-c", "1", "-"],
                         input=wav, check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0


def babble(rng, pool, length, talkers):
    """`talkers` streams, each of utterances drawn from `pool` (other clips of the same split) back to back,
    cut at a random point to `length` samples, summed: babble made of the same spoken digits."""
    total = np.zeros(length)
    for _ in range(talkers):
        parts, size = [], 0
        while size < 2 * length:
            j = int(rng.integers(len(pool)))
            parts.append(pool[j])
            size += pool[j].shape[0]
        stream = np.concatenate(parts)
        start = int(rng.integers(0, stream.shape[0] - length + 1))
        total += stream[start: start + length]
    return total


def noisy_clip(rng, speech, pool, snr_db, talkers):
    """Silence pads of 0-0.3 s each side, then noise at `snr_db` relative to the speech's power: half of the
    noise power white Gaussian, half babble of `talkers` other utterances; peak-normalised to int16."""
    pad = rng.integers(0, int(0.3 * SAMPLE_RATE) + 1, size=2)
    clip = np.concatenate([np.zeros(pad[0]), speech, np.zeros(pad[1])])
    noise_power = float(np.mean(speech ** 2)) / 10 ** (snr_db / 10)
    white = rng.standard_normal(clip.shape[0])
    talk = babble(rng, pool, clip.shape[0], talkers)
    mixed = clip + np.sqrt(noise_power / 2) * white + np.sqrt(noise_power / 2 / max(1e-12, float(np.mean(talk ** 2)))) * talk
    mixed *= 0.9 / max(1e-9, float(np.max(np.abs(mixed))))  # peak-normalise to fit 16 bits
    return np.round(mixed * 32767).astype(np.int16)


def write_wav(path, samples):
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(SAMPLE_RATE)
        handle.writeframes(samples.astype("<i2").tobytes())


def mel_filterbank(num_bins=80, fft_size=1024, low_hz=20.0, high_hz=SAMPLE_RATE / 2):
    """Triangular filters equally spaced on the mel scale 1127 ln(1 + f/700), over FFT bins 0..fft_size/2-1."""
    mel = lambda f: 1127.0 * np.log(1.0 + np.asarray(f) / 700.0)
    edges = np.linspace(mel(low_hz), mel(high_hz), num_bins + 2)
    bin_mels = mel(np.arange(fft_size // 2) * SAMPLE_RATE / fft_size)
    left, centre, right = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    up = (bin_mels[None, :] - left) / (centre - left)
    down = (right - bin_mels[None, :]) / (right - centre)
    return np.maximum(0.0, np.minimum(up, down))  # [num_bins, fft_size / 2]


def log_mel(samples, filters, frame_ms=40, shift_ms=20, fft_size=1024):
    """Kaldi-style fbank: frames without edge padding, DC removal, pre-emphasis, Hamming, |FFT|^2, mel, log."""
    x = samples.astype(np.float64) / 32768.0
    length, shift = SAMPLE_RATE * frame_ms // 1000, SAMPLE_RATE * shift_ms // 1000
    count = 1 + (x.shape[0] - length) // shift
    frames = np.stack([x[i * shift: i * shift + length] for i in range(count)])
    frames = frames - frames.mean(axis=1, keepdims=True)
    frames = np.concatenate([frames[:, :1] * (1 - 0.97), frames[:, 1:] - 0.97 * frames[:, :-1]], axis=1)
    frames = frames * np.hamming(length)[None, :]
    power = np.abs(np.fft.rfft(frames, n=fft_size, axis=1)[:, : fft_size // 2]) ** 2
    energies = power @ filters.T
    return np.log(np.maximum(energies, np.finfo(np.float32).eps))


def z_normalise(features):
    return (features - features.mean(axis=0, keepdims=True)) / (features.std(axis=0, keepdims=True) + 1e-5)


# ---------------------------------------------------------------- video

def video_clip(rng, image):
    """3-8 frames: the 8x8 image shifted by -1..1 px (zero fill) plus noise, scaled to ~[0, 1], 64 dims."""
    frames = []
    for _ in range(int(rng.integers(3, 9))):
        dy, dx = rng.integers(-1, 2, size=2)
        shifted = np.zeros((8, 8))
        ys, yd = (slice(0, 8 - dy), slice(dy, 8)) if dy >= 0 else (slice(-dy, 8), slice(0, 8 + dy))
        xs, xd = (slice(0, 8 - dx), slice(dx, 8)) if dx >= 0 else (slice(-dx, 8), slice(0, 8 + dx))
        shifted[yd, xd] = image[ys, xs]
        frames.append(((shifted + rng.normal(0.0, 2.0, size=(8, 8))) / 16.0).reshape(64))
    return np.stack(frames).astype(np.float32)


# ---------------------------------------------------------------- split

def stratified_holdout(rng, labels, indices, share):
    """Per label, a seeded `share` of `indices` (rounded) is held out; returns (kept, held), each ascending."""
    held = []
    for label in range(len(WORDS)):
        members = np.array([i for i in indices if labels[i] == label])
        members = members[rng.permutation(len(members))]
        held.extend(members[: int(round(share * len(members)))].tolist())
    held_set = set(held)
    return sorted(i for i in indices if i not in held_set), sorted(held)


def dirichlet_clients(rng, labels, indices, num_clients, alpha, min_samples=10, max_tries=1000):
    """FedMultimodal's Dirichlet label-skew recipe (see the module docstring)."""
    fair = len(indices) / num_clients
    for _ in range(max_tries):
        clients = [[] for _ in range(num_clients)]
        for label in range(len(WORDS)):
            members = np.array([i for i in indices if labels[i] == label])
            members = members[rng.permutation(len(members))]
            p = rng.dirichlet([alpha] * num_clients)
            p = np.array([v if len(clients[j]) < fair else 0.0 for j, v in enumerate(p)])
            p = p / p.sum()
            cuts = (np.cumsum(p) * len(members)).astype(int)[:-1]
            for j, part in enumerate(np.split(members, cuts)):
                clients[j].extend(part.tolist())
        if min(len(c) for c in clients) >= min_samples:
            return [sorted(c) for c in clients]
    sys.exit(f"no Dirichlet draw gave every client >= {min_samples} clips in {max_tries} tries")


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--talkers", type=int, default=4, help="babble talkers (default 4)")
    parser.add_argument("--snr-db", default="-6,0", help="per-clip SNR range in dB, LOW,HIGH (default -6,0; write --snr-db=LOW,HIGH)")
    args = parser.parse_args()
    snr_low, snr_high = (float(v) for v in args.snr_db.split(","))
    out = Path(args.out_dir).resolve()
    writer = load_fixture_writer()
    rng = np.random.default_rng(args.seed)
    started = time.time()

    digits = load_digits()
    images, labels = digits.images, digits.target.astype(int)
    n = len(labels)
    filters = mel_filterbank()
    # The split depends on the labels only; babble for a clip is drawn from its own split (train, dev, test).
    train_pool, test = stratified_holdout(rng, labels, list(range(n)), 0.2)
    train, dev = stratified_holdout(rng, labels, train_pool, 0.2)
    clients = dirichlet_clients(rng, labels, train, NUM_CLIENTS, ALPHA)
    groups = {str(j): members for j, members in enumerate(clients)}
    groups["dev"], groups["test"] = dev, test
    split_of = {i: name for name, members in (("train", train), ("dev", dev), ("test", test)) for i in members}
    members_of = {"train": train, "dev": dev, "test": test}

    # Pass 1: one clean utterance per clip (its label's word, a seeded voice, variant, speed, pitch).
    voices, clean = [], []
    for i in range(n):
        voice, variant = VOICES[rng.integers(len(VOICES))], VARIANTS[rng.integers(len(VARIANTS))]
        speed, pitch = int(rng.integers(130, 211)), int(rng.integers(25, 76))
        voices.append((f"{voice}+{variant}", speed, pitch))
        clean.append(synthesize(WORDS[labels[i]], voice, variant, speed, pitch))
        if (i + 1) % 300 == 0:
            print(f"  {i + 1}/{n} utterances ({time.time() - started:.0f} s)", file=sys.stderr)
    # Pass 2: noise (white + babble of the other utterances), WAV, features; the video clip.
    items = []
    for i in range(n):
        label = int(labels[i])
        word = WORDS[label]
        snr = float(rng.uniform(snr_low, snr_high))
        samples = noisy_clip(rng, clean[i], [clean[j] for j in members_of[split_of[i]] if j != i], snr, args.talkers)
        wav_path = out / "wav" / word / f"d{i:04d}.wav"
        write_wav(wav_path, samples)
        audio = z_normalise(log_mel(samples, filters)).astype(np.float32)
        video = video_clip(rng, images[i])
        items.append({"key": f"{word}/d{i:04d}", "path": str(wav_path), "label": label, "audio": audio, "video": video,
                      "voice": voices[i][0], "speed": voices[i][1], "pitch": voices[i][2], "snr": snr})


    root = out / "output"
    a_tag = writer.tag(ALPHA)
    partition = {name: [[items[i]["key"], items[i]["path"], items[i]["label"]] for i in members] for name, members in groups.items()}
    part_path = root / "partition" / DATASET / f"fold{FOLD}" / f"partition_alpha{a_tag}.json"
    part_path.parent.mkdir(parents=True, exist_ok=True)
    part_path.write_text(json.dumps(partition, indent=4))
    audio_dir = root / "feature" / "audio" / "mfcc" / DATASET / f"alpha{a_tag}" / f"fold{FOLD}"
    video_dir = root / "feature" / "video" / "mobilenet_v2" / DATASET / f"alpha{a_tag}" / f"fold{FOLD}"
    for name, members in groups.items():
        writer.dump(audio_dir / f"{name}.pkl", [[items[i]["key"], items[i]["path"], items[i]["label"], items[i]["audio"]] for i in members])
        writer.dump(video_dir / f"{name}.pkl", [[items[i]["key"], items[i]["path"], items[i]["label"], items[i]["video"]] for i in members])
    sim = {name: [[k, p, y, [0, 0, y, 0]] for k, p, y in entries] for name, entries in partition.items()}
    sim_path = root / "simulation_feature" / DATASET / f"fold{FOLD}" / f"mm{writer.tag(0.0)}_alpha{a_tag}.json"
    sim_path.parent.mkdir(parents=True, exist_ok=True)
    sim_path.write_text(json.dumps(sim, indent=4))

    a_frames = np.array([it["audio"].shape[0] for it in items])
    v_frames = np.array([it["video"].shape[0] for it in items])
    client_sizes = [len(c) for c in clients]
    summary = {
        "dataset": DATASET, "fold": FOLD, "alpha": ALPHA, "seed": args.seed, "snrDb": [snr_low, snr_high],
        "outputDir": str(root), "missingFile": str(sim_path.relative_to(root)),
        "clips": n, "classes": WORDS,
        "splits": {"clients": NUM_CLIENTS, "clientClips": sum(client_sizes), "dev": len(dev), "test": len(test),
                   "clientSizeMinMedianMax": [min(client_sizes), int(np.median(client_sizes)), max(client_sizes)],
                   "clientSizes": dict(zip(map(str, range(NUM_CLIENTS)), client_sizes)),
                   "clientLabelCounts": {str(j): np.bincount(labels[c], minlength=10).tolist() for j, c in enumerate(clients)}},
        "audio": {"dims": 80, "framesMinMedianMax": [int(a_frames.min()), int(np.median(a_frames)), int(a_frames.max())]},
        "video": {"dims": 64, "framesMinMedianMax": [int(v_frames.min()), int(np.median(v_frames)), int(v_frames.max())]},
        "seconds": round(time.time() - started, 1),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"{DATASET}: {n} clips, 10 classes; {NUM_CLIENTS} clients with {sum(client_sizes)} clips "
          f"(per client min/median/max {summary['splits']['clientSizeMinMedianMax']}), dev {len(dev)}, test {len(test)}")
    print(f"audio (frames, 80): frames min/median/max {summary['audio']['framesMinMedianMax']}; SNR {snr_low:g}..{snr_high:g} dB (white + {args.talkers}-talker babble)")
    print(f"video (frames, 64): frames min/median/max {summary['video']['framesMinMedianMax']}; missing video 0%")
    print(f"written under {root} in {summary['seconds']} s")


if __name__ == "__main__":
    main()
