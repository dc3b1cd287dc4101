"""Benchmark perturbkit.attacks against torchattacks (PGD l_inf) and foolbox (FMN minimal perturbations), one run.

Same model (a SmallCNN trained here, seeded; no weights are written), same 1000 MNIST-subset test images, same
machine and thread count. Prints a markdown table: times, success rates, median sizes and the ratios ours / peer.
On a machine with CUDA the model and the images are moved to the GPU after training and every attack runs there
(``--device cpu`` keeps them on the CPU); the device is printed with the table.

    .venv/bin/python benchmarks/attacks.py [--images 1000] [--steps 100] [--eps 0.1] [--device cpu]

torchattacks and foolbox are benchmark-only dependencies (not needed by the course).
"""

from __future__ import annotations

import argparse
import math
import time

import torch

from perturbkit import attacks, data, devices, models, norms


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _timed(fn):
    _sync()
    start = time.perf_counter()
    out = fn()
    _sync()
    return out, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=None, help="default 1000 on the CPU, 2500 on a GPU")
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--eps", type=float, default=0.1, help="PGD l_inf budget")
    ap.add_argument("--device", choices=["cpu", "cuda"], default=None, help="default: cuda when there is a GPU")
    args = ap.parse_args()
    dev = devices.device(args.device)
    args.images = args.images or (2500 if dev.type == "cuda" else 1000)

    import foolbox
    import torchattacks

    x, y = data.load_mnist()
    train, test = models.split(x, y, 0.2, seed=0)
    model = models.SmallCNN(28, width=16)
    models.train(model, train, epochs=3, seed=0, progress=False)
    model = model.to(dev)
    xs, ys = test[0][:args.images].to(dev), test[1][:args.images].to(dev)
    where = torch.cuda.get_device_name(dev) if dev.type == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    print(f"model: SmallCNN(28, width=16), clean accuracy {models.accuracy(model, xs, ys):.3f} on {len(ys)} images; "
          f"device {dev} ({where}); torch {torch.__version__}")
    # warm-up on a few images: CUDA context, kernels and allocator, so that neither side pays them in its time
    attacks.pgd(model, xs[:8], ys[:8], p=math.inf, eps=args.eps, steps=2)
    rows = []

    # PGD l_inf: same budget, step size, steps, no random start.
    alpha = 2.5 * args.eps / args.steps
    ta = torchattacks.PGD(model, eps=args.eps, alpha=alpha, steps=args.steps, random_start=False)
    theirs, t_theirs = _timed(lambda: ta(xs, ys))
    ours, t_ours = _timed(lambda: attacks.pgd(model, xs, ys, p=math.inf, eps=args.eps, steps=args.steps,
                                              step_size=alpha))  # includes the forward pass that measures success
    s_theirs = float((models.predict(model, theirs) != ys).double().mean())
    s_ours = float((models.predict(model, ours.adversarial) != ys).double().mean())
    assert float(norms.distance(ours.adversarial, xs, math.inf).max()) <= args.eps + 1e-6
    rows.append((f"PGD linf eps={args.eps}, {args.steps} steps", "torchattacks PGD", t_ours, t_theirs, s_ours, s_theirs,
                 None, None))

    # Minimal perturbations against FMN, same steps.
    fmodel = foolbox.PyTorchModel(model.eval(), bounds=(0, 1), device=dev)
    fmn = {2.0: foolbox.attacks.L2FMNAttack, math.inf: foolbox.attacks.LInfFMNAttack, 0.0: foolbox.attacks.L0FMNAttack}
    for p, cls in fmn.items():
        attack = cls(steps=args.steps)
        (_, clipped, ok_f), t_f = _timed(lambda attack=attack: attack(fmodel, xs, ys, epsilons=None))
        r, t_o = _timed(lambda p=p: attacks.minimal_perturbation(model, xs, ys, p=p, steps=args.steps))
        ok_f = ok_f & (models.predict(model, clipped) != ys)  # count only what really fools the model
        size_f = norms.distance(clipped, xs, p)
        both = ok_f & r.success
        med_o, med_f = float(r.sizes[both].median()), float(size_f[both].median())
        rows.append((f"minimal l{'inf' if p == math.inf else int(p)}, {args.steps} steps", "foolbox FMN", t_o, t_f,
                     float(r.success.double().mean()), float(ok_f.double().mean()), med_o, med_f))

    print("\n| task | peer | time ours (s) | time peer (s) | time ratio | success ours | success peer | "
          "median size ours | median size peer | size ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for task, peer, t_o, t_p, s_o, s_p, m_o, m_p in rows:
        sizes = "| - | - | -" if m_o is None else f"| {m_o:.4g} | {m_p:.4g} | {m_o / m_p:.3f}"
        print(f"| {task} | {peer} | {t_o:.2f} | {t_p:.2f} | {t_o / t_p:.3f} | {s_o:.3f} | {s_p:.3f} {sizes} |")
    print(f"\ndevice: {dev} ({where}); median sizes over the images both attacks fooled; sizes in intensity units "
          f"(l0: changed pixels)")


if __name__ == "__main__":
    main()
