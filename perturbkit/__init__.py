"""perturbkit: kernels and helpers for the course *Image classifiers can not be made robust*.

The package follows the course: ``spaces`` (image spaces), ``norms`` (p-norms and projections), and later modules
for the census, the bounds, classifiers, attacks, data, models, plotting and widgets. Every kernel takes tensors on
any device and returns its results on that device.

One import reaches everything a lesson uses::

    import perturbkit as pk
    pk.harper_bound(9, 2)              # perturbkit.bounds.harper_bound
    pk.ImageSpace(3)                   # perturbkit.spaces.ImageSpace
    pk.attacks.pgd, pk.plotting.image_grid, pk.widgets.LiveView, pk.exercises.check

The names are imported on first use (``_lazy.py``), so ``import perturbkit`` loads neither torch nor matplotlib.
"""

if __import__("os").environ.get("PERTURBKIT_MUTANT"):  # mutation testing only (mutation/lessons.py); inert unset
    from . import _mutants  # noqa: F401

from ._lazy import lazy_exports

# Every name a lesson imports from a module of this package (not of a subpackage: those are pk.attacks.<name>,
# pk.plotting.<name>, pk.widgets.<name>, pk.exercises.<name>), by module; tests/test_face.py keeps it complete.
# The census names point at `perturbkit.census`, the package that keeps today's public API when census.py,
# bitset_census.py, census_record.py, classifiers.py and fused/ move into it.
EXPORTS = {
    ".bitdepth": ["census_by_levels", "cube_bound_two_classes", "cube_sum_share", "first_pixel_linf_share",
                  "linf_census", "quantised_model_robustness", "sum_by_levels"],
    ".bounds": ["concentration_bound", "harper_bound", "linf_bound"],
    ".budgets": ["format_p", "space_numbers"],
    ".census": ["bound_report", "label_space", "robust_share", "robustness"],
    ".claims": ["expect", "expect_true"],
    ".classifiers": ["majority"],
    ".data": ["load_digits", "load_image_folder", "load_mnist", "load_photos", "quantize", "resize"],
    ".devices": ["device", "seed_everything"],
    ".flip": ["FlipExperiment", "classifier_flip", "hamming_path", "pair_flips", "typical_pair"],
    ".guarantees": ["DATASETS", "concentration_c", "cube_radius", "dataset_table", "guarantee_table", "harper_radius",
                    "lattice_l2_radius", "lattice_linf_radius", "radii_for_share", "shares_at_c"],
    ".hamming": ["ball", "ball_size", "distance_to_set", "families", "neighbourhood"],
    ".isoperimetry": ["best_segment_class", "bit_cube", "bit_distance", "orders", "simplicial_order",
                      "simplicial_segment", "smallest_neighbourhoods"],
    ".models": ["accuracy", "predict", "split"],
    ".natural": ["distance_rows", "label_shares", "nn_margin", "noise_class", "share_of_space", "table"],
    ".neighbours": ["nearest", "pairwise", "within_between"],
    ".network_scaling": ["cnn_scaling", "covered_noise", "describe"],
    ".norm_share": ["top_share"],
    ".norms": ["distance", "size"],
    ".optimality": ["BERRY_ESSEEN", "entry_sd", "half_ball_radius", "hamming_ball", "near_boundary_share",
                    "window_bound", "window_shares"],
    ".robust_training": ["robust_accuracy"],
    ".scaling": ["bootstrap_slope", "predicted_slope", "scaling_curve", "slope_table", "sum_scaling"],
    ".spaces": ["ImageSpace"],
    ".sum_classifier": ["decide", "minimal_sizes", "random_level_counts", "sum_robustness"],
    ".threat": ["lattice_l2_share"],
    # perturbkit.widgets.quiz is both a module and its one function; pk.widgets.quiz is the module, pk.quiz the
    # function (what the lessons call).
    ".widgets.quiz": ["quiz"],
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, __path__, globals(), EXPORTS)
__version__ = "0.1.0"
