import pytest
import torch

from perturbkit import drawing as D
from perturbkit.plotting.drawings import illusions_figure, outline_figure


@pytest.mark.parametrize("name", sorted(D.OUTLINES))
def test_outlines_cost_order_n_pixels(name):
    # A one-pixel stroke of fixed shape: pixel count grows linearly in n, so count/n stays in a narrow band and
    # the share of the image falls like 1/n.
    ratios = [D.pixel_count(D.OUTLINES[name](n)) / n for n in (32, 64, 128, 256)]
    assert max(ratios) / min(ratios) < 1.35
    shares = [r / n for r, n in zip(ratios, (32, 64, 128, 256))]
    assert all(s2 < 0.6 * s1 for s1, s2 in zip(shares, shares[1:]))


def test_stroke_is_connected_and_one_pixel_wide():
    m = torch.zeros(40, 40, dtype=torch.bool)
    D._stroke(m, [(0.0, 0.0), (1.0, 0.5)])
    rows, cols = torch.nonzero(m, as_tuple=True)
    # a shallow line: every column has a pixel, and no column has more than two
    assert set(cols.tolist()) == set(range(40))
    assert int(torch.bincount(cols).max()) <= 2
    # horizontal line from edge to edge: exactly n pixels
    h = torch.zeros(40, 40, dtype=torch.bool)
    D._stroke(h, [(0.0, 0.5), (0.999, 0.5)])
    assert D.pixel_count(h) == 40


def test_necker_occlusion_cue_is_a_few_pixels_and_differs_by_face():
    n = 128
    amb = D.necker_cube(n)
    ll, ur = D.necker_cube(n, front="lower-left"), D.necker_cube(n, front="upper-right")
    assert not torch.equal(ll, ur)
    for m in (ll, ur):
        assert (m & ~amb).sum() == 0            # the cue only erases
        erased = int((amb & ~m).sum())
        assert 0 < erased < 0.1 * D.pixel_count(amb)


def test_kanizsa_draws_no_triangle_edge():
    n = 128
    m = D.kanizsa_triangle(n)
    # midpoint of the triangle's base (between the two lower discs) is empty: the contour is illusory
    assert not bool(m[int(0.72 * n), n // 2])
    assert D.pixel_count(m) > 0


def test_mueller_lyer_shafts_equal_length():
    n = 128
    m = D.mueller_lyer(n)
    top, bottom = m[int(0.3 * n)], m[int(0.7 * n)]
    assert int(top.sum()) == int(bottom.sum())


def test_draw_onto_changes_exactly_the_drawn_pixels():
    x = torch.zeros(2, 3, 32, 32)
    m = D.face(32)
    y = D.draw_onto(x, m, 1.0)
    changed = (x != y).any(dim=1)
    assert torch.equal(changed, m.expand(2, 32, 32)) and int(changed[0].sum()) == D.pixel_count(m)
    assert torch.equal(x, torch.zeros(2, 3, 32, 32))   # input untouched


def test_bad_input():
    with pytest.raises(ValueError, match="n must be"):
        D.parachute(8)
    with pytest.raises(TypeError, match="n must be an integer"):
        D.face(32.5)
    with pytest.raises(ValueError, match="front must be"):
        D.necker_cube(64, front="left")
    with pytest.raises(ValueError, match="images must have shape"):
        D.draw_onto(torch.zeros(1, 1, 16, 16), D.face(32))
    with pytest.raises(ValueError, match="value must be"):
        D.draw_onto(torch.zeros(1, 1, 32, 32), D.face(32), 2.0)
    with pytest.raises(ValueError, match="name must be one of"):
        D.outline_report("boat", 64)
    with pytest.raises(TypeError, match="mask must be a boolean"):
        D.pixel_count(torch.zeros(3))


def test_report_and_figures():
    line = D.outline_report("parachute", 64)
    k = D.pixel_count(D.parachute(64))
    assert f"{k} pixels" in line and f"{k / 64:.2f} n" in line
    assert len(outline_figure("face", 48, torch.rand(3, 100, 100)).axes) == 3
    assert len(illusions_figure(64).axes) == 2 + len(D.ILLUSIONS)


@pytest.mark.gpu
def test_drawing_on_cuda():
    m = D.parachute(64, device="cuda")
    assert m.device.type == "cuda" and torch.equal(m.cpu(), D.parachute(64))
    assert D.draw_onto(torch.zeros(1, 1, 64, 64, device="cuda"), m).device.type == "cuda"


def test_polyline_and_explorer():
    m = D.polyline(32, [(0, 0.5), (0.999, 0.5)])
    assert D.pixel_count(m) == 32
    with pytest.raises(ValueError, match="unit square"):
        D.polyline(32, [(0, 0), (2, 0)])
    with pytest.raises(ValueError, match="at least two"):
        D.polyline(32, [(0, 0)])
    from perturbkit.widgets.drawings import outline_explorer, outline_view
    photo = torch.rand(3, 64, 64)
    w = outline_explorer(photo, n=32)
    first = (w.text.value, w.image.value)
    assert outline_view(32, "parachute", photo)[0] in first[0]
    w.controls["n"].value = 48
    assert w.image.value != first[1] and "n = 48" in w.text.value
    assert w.controls["n"].continuous_update is False
    assert repr(w) == "LiveView(n=48, name='parachute')"
