"""How many bands of how many rows the LSH cuts a signature into (numpy only, no numba: the
pipeline asks this before it loads its kernels, so a wrong setting fails at once).
:mod:`dedup.band` re-exports both functions."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .config import LSHConfig
from .errors import ConfigError

__all__ = ["lsh_params", "optimal_params"]


@lru_cache(maxsize=64)
def optimal_params(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """The ``(bands, rows)`` minimising ``fp_weight * FP + fn_weight * FN``, the choice datasketch's
    ``MinHashLSH`` makes (``datasketch.lsh._optimal_param``), without importing datasketch and scipy.

    FP is the area under the S-curve ``1 - (1 - s**r)**b`` below the threshold, FN the area above it
    under ``1 -`` the curve. Both integrands are polynomials of degree ``b * r <= num_perm``, so
    Gauss-Legendre quadrature with ``num_perm // 2 + 2`` nodes integrates them exactly (up to
    rounding); datasketch integrates numerically with scipy's ``quad``. Pairs are scanned in the same
    order and a later one wins only when strictly better, as there. A test checks the choice
    against datasketch's over a grid of settings.
    """
    x, w = np.polynomial.legendre.leggauss(num_perm // 2 + 2)
    below, below_w = (x + 1.0) * (threshold / 2.0), w * (threshold / 2.0)
    above, above_w = threshold + (x + 1.0) * ((1.0 - threshold) / 2.0), w * ((1.0 - threshold) / 2.0)
    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        r = np.arange(1, num_perm // b + 1, dtype=np.float64)[:, None]
        fp = (1.0 - (1.0 - below**r) ** b) @ below_w
        fn = ((1.0 - above**r) ** b) @ above_w
        for k, error in enumerate((fp * fp_weight + fn * fn_weight).tolist()):
            if error < best:
                best, opt = error, (b, k + 1)
    return opt


def lsh_params(lsh_cfg: LSHConfig, num_perm: int) -> tuple[int, int]:
    """Return ``(bands, rows)``: the explicit setting if given, else the optimum (:func:`optimal_params`,
    the choice datasketch makes).

    The optimum minimises ``false_positive_weight * FP + false_negative_weight * FN`` of the
    S-curve around ``lsh_cfg.threshold``.

    Raises:
        ConfigError: ``bands``/``rows`` are set but not positive or need more than ``num_perm`` values.
    """
    if lsh_cfg.bands is not None and lsh_cfg.rows is not None:
        bands, rows = int(lsh_cfg.bands), int(lsh_cfg.rows)
        if bands < 1 or rows < 1:
            raise ConfigError(f"lsh.bands={bands}, lsh.rows={rows}: both must be at least 1")
        if bands * rows > num_perm:
            raise ConfigError(
                f"lsh.bands={bands} x lsh.rows={rows} = {bands * rows} exceeds minhash.num_perm={num_perm}: "
                f"lower bands or rows, raise num_perm, or unset both to use the optimum for "
                f"threshold {lsh_cfg.threshold}"
            )
        return bands, rows
    bands, rows = optimal_params(
        float(lsh_cfg.threshold), int(num_perm), float(lsh_cfg.false_positive_weight),
        float(lsh_cfg.false_negative_weight)
    )
    return int(bands), int(rows)
