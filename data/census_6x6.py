"""The exact census of every binary n x n image (default 6x6: 2^36 images) for lesson 04, written with provenance.

    python data/census_6x6.py                                   # 6x6 on CUDA, writes data/census/binary_6x6.json
    python data/census_6x6.py --n 5 --device cpu --out x.json   # the same pipeline at 5x5 on a CPU (a minute)

Two labellings go through the bit-packed census (perturbkit.census.bitset_census, one bit per image): the sum threshold
(Algorithm 1, exact integer labels), whose histogram must equal the closed form
(perturbkit.sum_classifier.binary_histogram) and, where the fused kernels ran, the torch-only dilation's; and the
0-versus-1 network trained on the 8x8 digits downscaled to n x n (perturbkit.pretrained "digits_0v1_mlp_{n}x{n}"),
labelled chunk by chunk on the device with float arithmetic. Every class of at most half the space must stay under
the Harper bound (perturbkit.bounds.harper_bound). The file stores the exact integers, the time of each census, the
checks that passed and the provenance (device, torch and CUDA versions, the course's commit, the date and this
command); perturbkit.census.records.load reads it back.

The 6x6 census needs about 24 GiB of memory on the device (bitset_census's memory check says so before it starts):
one GPU with that much, or a CPU machine with more memory than the course's. An existing file is never replaced
unless --force is given.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from perturbkit import bounds, classifiers, pretrained  # noqa: E402
from perturbkit.census import bitset_census, fused, records  # noqa: E402
from perturbkit.census.records import CensusRecord  # noqa: E402
from perturbkit.spaces import ImageSpace  # noqa: E402
from perturbkit.sum_classifier import binary_histogram  # noqa: E402

SUM_THRESHOLD = "sum threshold (Algorithm 1)"


def network_name(n: int) -> str:
    return f"digits_0v1_mlp_{n}x{n}"


def run(n: int, device: str, out: Path, force: bool = False, progress: bool = False,
        network: torch.nn.Module | None = None) -> Path:
    """Both censuses of the binary n x n space on ``device``, checked, then written to ``out``. ``network``
    replaces the shipped digits_0v1_mlp_{n}x{n} (the tests pass a small one)."""
    if out.exists() and not force:  # before the work, not after
        raise FileExistsError(f"{out} exists; pass --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    space = ImageSpace(n)
    N = space.num_entries
    done = []
    fused.available(device)  # load, compile and check the fused kernels now: their first use is not timed

    def report(name, c):
        print(f"{name}: {c.seconds:.1f} s on {c.device}; class sizes {c.size.tolist()}; "
              f"max robustness {c.max_robustness.tolist()}", flush=True)

    c = bitset_census(classifiers.sum_threshold, space, device=device, progress=progress)
    report(SUM_THRESHOLD, c)
    if not np.array_equal(c.histogram, binary_histogram(N)):
        raise RuntimeError("the sum threshold's histogram differs from the closed form: the census is wrong")
    done.append(CensusRecord(SUM_THRESHOLD, c, "exact integer sums (Algorithm 1)"))
    checks = {"sum threshold histogram equals the closed form": True}
    if fused.applies(device, space.size):  # the same census again by the other implementation: torch-only
        with fused.enable(False):
            plain = bitset_census(classifiers.sum_threshold, space, device=device, progress=progress)
        report(SUM_THRESHOLD + ", torch-only dilation", plain)
        same = np.array_equal(plain.histogram, c.histogram) and np.array_equal(plain.robust, c.robust)
        if not same:
            raise RuntimeError("the fused and the torch-only dilation disagree: the census is wrong")
        checks["sum threshold: torch-only dilation gives the same curves"] = True
        checks["sum threshold: seconds with the fused kernels / torch-only"] = [round(c.seconds, 3),
                                                                                round(plain.seconds, 3)]

    name = network_name(n) if network is None else type(network).__name__
    net = pretrained.load(name, device=device) if network is None else network.to(device)
    # big batches: the network is tiny, the space is not
    classify = classifiers.from_model(net, batch_size=2**22)
    c = bitset_census(classify, space, device=device, progress=progress)
    report(name, c)
    done.append(CensusRecord(f"network {name}", c, f"float32 forward passes on {device}, chunks of images"))

    for r in done:
        for i, share in enumerate(r.census.space_share):
            if share <= 0.5 and (r.census.robust[i] > bounds.harper_bound(N, r.census.t) + 1e-12).any():
                raise RuntimeError(f"{r.name}: class {r.census.classes[i]} rises above the Harper bound")
    command = "python data/census_6x6.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    checks["every class of at most half the space under the Harper bound"] = True
    prov = records.provenance(device, command.strip()) | {"checks": checks}
    path = records.save(done, space, out, prov, overwrite=force)
    print(f"wrote {path}")
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=6, help="image side (a network digits_0v1_mlp_NxN must exist)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--out", type=Path, default=None, help="default: data/census/binary_{n}x{n}.json")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--progress", action="store_true", help="one line per dilation round")
    args = parser.parse_args(argv)
    out = args.out or records.RECORDS_DIR / f"binary_{args.n}x{args.n}.json"
    run(args.n, args.device, out, force=args.force, progress=args.progress)


if __name__ == "__main__":
    main()
