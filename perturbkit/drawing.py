"""Line drawings made in code: outlines and classic illusions rasterised onto an n x n pixel grid.

Shapes are described in the unit square (x to the right, y downwards, both in [0, 1]) and rasterised as
one-pixel-wide strokes, so a drawing of fixed shape costs about c * n pixels at resolution n: the O(n) pixel
budget of the theorem. Every function returns a boolean mask of shape (n, n) on the requested device (CPU by
default); ``pixel_count`` counts its pixels and ``draw_onto`` paints it onto images (k, channels, n, n).
"""

from __future__ import annotations

import math

import torch

from .checks import check_device, check_images, check_int, check_real

MIN_N = 16  # below this the drawings no longer look like anything


def _canvas(n: int, device) -> torch.Tensor:
    n = check_int("n", n, minimum=MIN_N)
    return torch.zeros(n, n, dtype=torch.bool, device=check_device(device) or "cpu")


def _stroke(mask: torch.Tensor, points) -> torch.Tensor:
    """Draw the polyline through ``points`` (unit-square coordinates) onto ``mask`` one pixel wide; in place."""
    n = mask.shape[0]
    pts = torch.as_tensor(points, dtype=torch.float64)
    for (x0, y0), (x1, y1) in zip(pts[:-1].tolist(), pts[1:].tolist()):
        # Sample the segment densely enough that consecutive samples land in touching pixels (8-connected stroke).
        k = int(math.ceil(max(abs(x1 - x0), abs(y1 - y0)) * n)) + 1
        t = torch.linspace(0, 1, k + 1, dtype=torch.float64)
        cols = ((x0 + t * (x1 - x0)) * n).floor().clamp(0, n - 1).long()
        rows = ((y0 + t * (y1 - y0)) * n).floor().clamp(0, n - 1).long()
        mask[rows.to(mask.device), cols.to(mask.device)] = True
    return mask


def _arc(cx: float, cy: float, r: float, start: float, stop: float, k: int = 64) -> list[tuple[float, float]]:
    """Points of a circular arc (angles in degrees, counter-clockwise as seen on screen, y downwards)."""
    a = torch.linspace(math.radians(start), math.radians(stop), k, dtype=torch.float64)
    return list(zip((cx + r * torch.cos(a)).tolist(), (cy - r * torch.sin(a)).tolist()))


def polyline(n: int, points, device=None) -> torch.Tensor:
    """A mask (n, n) with the polyline through ``points`` [(x, y), ...] (unit-square coordinates) drawn on it."""
    if isinstance(points, (str, bytes)) or not hasattr(points, "__iter__"):
        raise TypeError(f"points must be a sequence of (x, y) pairs, got {points!r}")
    pts = list(points)
    if len(pts) < 2 or any(not hasattr(q, "__len__") or len(q) != 2 for q in pts):
        raise ValueError(f"points must be at least two (x, y) pairs in the unit square, got {points!r}")
    for q in pts:
        for c in q:
            check_real("points", c)
    if any(not (0 <= float(c) <= 1) for q in pts for c in q):
        raise ValueError(f"points must lie in the unit square [0, 1] x [0, 1], got {points!r}")
    return _stroke(_canvas(n, device), pts)


def pixel_count(mask: torch.Tensor) -> int:
    """Number of drawn (True) pixels in a mask."""
    if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool:
        raise TypeError(f"mask must be a boolean torch.Tensor, got {type(mask).__name__}"
                        f"{'' if not isinstance(mask, torch.Tensor) else ' of dtype ' + str(mask.dtype)}")
    return int(mask.sum())


def draw_onto(images: torch.Tensor, mask: torch.Tensor, value: float = 1.0) -> torch.Tensor:
    """Copy of ``images`` (k, c, n, n) with every pixel of ``mask`` (n, n) set to ``value`` in all channels."""
    check_images("images", images, unit=False)
    if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool or mask.dim() != 2:
        raise TypeError(f"mask must be a boolean torch.Tensor (n, n), got "
                        f"{getattr(mask, 'dtype', type(mask).__name__)} of shape {tuple(getattr(mask, 'shape', ()))}")
    if tuple(images.shape[-2:]) != tuple(mask.shape):
        raise ValueError(f"images must have shape (k, channels, {mask.shape[0]}, {mask.shape[1]}) to match mask, "
                         f"got {tuple(images.shape)}")
    value = check_real("value", value, 0.0, 1.0)
    out = images.clone()
    out[:, :, mask.to(images.device)] = float(value)
    return out


# ------------------------------------------------------------------------------------------------ outlines
def parachute(n: int, device=None) -> torch.Tensor:
    """A parachute: a dome canopy with scalloped hem, suspension lines, and a small jumper. Our own drawing."""
    m = _canvas(n, device)
    _stroke(m, _arc(0.5, 0.42, 0.34, 0, 180))                       # canopy
    hem = []
    for i in range(4):                                               # four scallops along the hem
        x0 = 0.16 + i * 0.17
        hem += _arc(x0 + 0.085, 0.42, 0.085, 180, 360, 16)
    _stroke(m, hem)
    for i in range(5):                                               # suspension lines to the harness
        _stroke(m, [(0.16 + i * 0.17, 0.42), (0.5, 0.78)])
    _stroke(m, _arc(0.5, 0.81, 0.03, 0, 360, 24))                    # head
    _stroke(m, [(0.5, 0.84), (0.5, 0.93), (0.46, 0.98)])             # body and a leg
    _stroke(m, [(0.5, 0.93), (0.54, 0.98)])
    return m


def face(n: int, device=None) -> torch.Tensor:
    """A smiling face: head, two eyes, nose and mouth. Our own drawing."""
    m = _canvas(n, device)
    _stroke(m, _arc(0.5, 0.5, 0.4, 0, 360, 96))
    _stroke(m, _arc(0.36, 0.4, 0.05, 0, 360, 24))
    _stroke(m, _arc(0.64, 0.4, 0.05, 0, 360, 24))
    _stroke(m, [(0.5, 0.45), (0.46, 0.58), (0.52, 0.58)])
    _stroke(m, _arc(0.5, 0.55, 0.2, 200, 340, 32))
    return m


def digit_seven(n: int, device=None) -> torch.Tensor:
    """A handwritten-style seven with a crossbar. Our own drawing."""
    m = _canvas(n, device)
    _stroke(m, [(0.22, 0.2), (0.78, 0.2), (0.62, 0.5), (0.45, 0.85)])
    _stroke(m, [(0.4, 0.5), (0.72, 0.5)])
    return m


OUTLINES = {"parachute": parachute, "face": face, "seven": digit_seven}


# ----------------------------------------------------------------------------------------------- illusions
def necker_cube(n: int, front: str | None = None, gap: float = 0.06, device=None) -> torch.Tensor:
    """A wire-frame cube; ``front`` in {None, "lower-left", "upper-right"} says which square face is in front.

    With ``front=None`` all twelve edges are drawn and the cube flips between two readings. With a front face,
    the hidden edges are broken for ``gap`` (unit-square length) on both sides of every crossing with a front
    edge: the occlusion cue that settles the reading, at the cost of a handful of erased pixels.
    """
    if front not in (None, "lower-left", "upper-right"):
        raise ValueError(f"front must be None, 'lower-left' or 'upper-right', got {front!r}")
    gap = check_real("gap", gap, 0.0, 0.2, max_open=True)
    if not 0 <= gap < 0.2:
        raise ValueError(f"gap must be in [0, 0.2), got {gap!r}")
    a, s, d = 0.15, 0.5, 0.2                       # corner of the lower-left square, side, depth offset
    ll = [(a, a + d), (a + s, a + d), (a + s, a + d + s), (a, a + d + s)]          # lower-left square
    ur = [(x + d, y - d) for x, y in ll]                                          # upper-right square
    m = _canvas(n, device)
    for sq in (ll, ur):
        _stroke(m, sq + sq[:1])
    for p, q in zip(ll, ur):
        _stroke(m, [p, q])
    if front is None:
        return m
    # The two crossings of the 2D drawing: the back face's edges cross the front face's edges there.
    # Lower-left square top edge (y = a+d) meets upper-right left edge (x = a+d); lower-left right edge
    # (x = a+s) meets upper-right bottom edge (y = a+d+s-d).
    crossings = [(a + d, a + d), (a + s, a + s)]
    front_sq = ll if front == "lower-left" else ur
    redraw = _canvas(n, device)
    _stroke(redraw, front_sq + front_sq[:1])
    yy, xx = torch.meshgrid(torch.arange(n, device=m.device), torch.arange(n, device=m.device), indexing="ij")
    for cx, cy in crossings:
        near = ((xx + 0.5) / n - cx).abs().le(gap) & ((yy + 0.5) / n - cy).abs().le(gap)
        m &= ~near
    return m | redraw


def kanizsa_triangle(n: int, device=None) -> torch.Tensor:
    """Kanizsa's triangle: three filled discs, each with a 60-degree wedge cut out towards a common centre.

    No edge of the white triangle that people see is drawn: its contours are illusory.
    """
    m = _canvas(n, device)
    r = 0.12
    corners = [(0.5, 0.18), (0.2, 0.72), (0.8, 0.72)]
    cx, cy = sum(x for x, _ in corners) / 3, sum(y for _, y in corners) / 3
    yy, xx = torch.meshgrid(torch.arange(n, device=m.device), torch.arange(n, device=m.device), indexing="ij")
    px, py = (xx + 0.5) / n, (yy + 0.5) / n
    for x, y in corners:
        disc = (px - x) ** 2 + (py - y) ** 2 <= r * r
        # Angle between the direction to the pixel and the direction to the triangle's centre.
        vx, vy = px - x, py - y
        ux, uy = cx - x, cy - y
        cos = (vx * ux + vy * uy) / (torch.sqrt(vx ** 2 + vy ** 2) * math.hypot(ux, uy) + 1e-12)
        m |= disc & (cos < math.cos(math.radians(30)))
    return m


def mueller_lyer(n: int, device=None) -> torch.Tensor:
    """Mueller-Lyer: two shafts of equal length, the upper with outward fins, the lower with inward fins."""
    m = _canvas(n, device)
    x0, x1, f = 0.25, 0.75, 0.09
    for y, sign in ((0.3, 1), (0.7, -1)):
        _stroke(m, [(x0, y), (x1, y)])
        # sign 1: fins point outwards (>--<), which makes the shaft look longer; -1: arrowheads (<-->).
        for x, out in ((x0, -1), (x1, 1)):
            dx = sign * out * f
            _stroke(m, [(x + dx, y - f), (x, y), (x + dx, y + f)])
    return m


ILLUSIONS = {"Necker cube": necker_cube, "Kanizsa triangle": kanizsa_triangle, "Mueller-Lyer": mueller_lyer}


def outline_report(name: str, n: int) -> str:
    """One line: how many pixels the outline ``name`` (a key of OUTLINES) takes at resolution n, in units of n
    and as a share of the n * n pixels."""
    if not isinstance(name, str) or name not in OUTLINES:
        raise ValueError(f"name must be one of {sorted(OUTLINES)}, got {name!r}")
    k = pixel_count(OUTLINES[name](n))
    return f"{name} at n = {n}: {k} pixels = {k / n:.2f} n = {100 * k / (n * n):.2f}% of the {n * n} pixels"
