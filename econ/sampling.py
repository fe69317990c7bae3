"""Sampling designs for the Monte Carlo: plain random draws, Latin hypercube and scrambled Sobol' points, in blocks.

Draw ``i`` of a design depends only on the seed, the design and ``i``, never on how the draws are
split into chunks or which process computes them, so a run gives bit-identical results serial, in
a process pool or on a Dask cluster, with any chunk size (issue 18).

- **Blocks.** Draws are numbered 0, 1, 2, ... and grouped in blocks of :data:`BLOCK`. Block ``b``
  has its own generator, ``numpy.random.default_rng(SeedSequence(seed, spawn_key=(b,)))``: the
  ``b``-th child that ``SeedSequence(seed).spawn`` would give, statistically independent of the
  others (NumPy, "Parallel random number generation"). A chunk of draws is made of the blocks it
  covers; a partial block is generated whole and cut.
- **random**: independent standard normals and uniforms from the block's generator.
- **lhs**: each block is a Latin hypercube of :data:`BLOCK` points (McKay, Beckman and Conover,
  "A comparison of three methods for selecting values of input variables in the analysis of
  output from a computer code", *Technometrics* 21(2), 1979; ``scipy.stats.qmc.LatinHypercube``),
  so every block is stratified in each input; the blocks are independent, and the mean over
  ``n`` draws has the variance of a Latin hypercube of one block divided by the blocks.
- **sobol**: one scrambled Sobol' sequence over all draws (Owen's scrambling with a digital shift,
  ``scipy.stats.qmc.Sobol``; Sobol' 1967, Owen 1998), draw ``i`` being its ``i``-th point
  (``fast_forward``), so it is one low-discrepancy design whatever the chunks. Its balance
  properties hold for a number of draws that is a power of 2.

Normals are ``Phi^-1`` of the uniforms for the quasi-random designs; the Gaussian copula
(:mod:`econ.risk`) then correlates them block by block with a fixed summation order, so the
result does not depend on the BLAS library's threading.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import special
from scipy.stats import qmc

BLOCK = 1024
"""Draws per block of a sampling design [draws]."""

SAMPLINGS = ("random", "lhs", "sobol")
"""The sampling designs of :func:`design`."""

_SOBOL_KEY = 2**31
"""Spawn key of the generator that scrambles the Sobol' sequence (far from any block's)."""


def check_sampling(sampling: str) -> str:
    """``sampling``, or a ValueError naming the designs allowed."""
    if sampling not in SAMPLINGS:
        raise ValueError(f"sampling: must be one of {list(SAMPLINGS)} (the sampling design); got {sampling!r}")
    return sampling


def block_generator(seed: int, block: int) -> np.random.Generator:
    """Generator of one block of draws: ``SeedSequence(seed, spawn_key=(block,))``.

    Examples
    --------
    >>> a = block_generator(7, 3).random()
    >>> b = np.random.default_rng(np.random.SeedSequence(7).spawn(4)[3]).random()
    >>> a == b
    True
    """
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def _block(sampling: str, seed: int, block: int, normals: int, uniforms: int) -> tuple[np.ndarray, np.ndarray]:
    """Normals and uniforms of one block of a block design (``"random"`` or ``"lhs"``), shapes (BLOCK, normals), (BLOCK, uniforms)."""
    rng = block_generator(seed, block)
    if sampling == "random":
        return rng.standard_normal((BLOCK, normals)), rng.random((BLOCK, uniforms))
    points = qmc.LatinHypercube(normals + uniforms, rng=rng).random(BLOCK) if normals + uniforms else np.zeros((BLOCK, 0))
    return special.ndtri(points[:, :normals]), points[:, normals:]


def design(sampling: str, seed: int, start: int, stop: int, normals: int, uniforms: int) -> tuple[np.ndarray, np.ndarray]:
    """Independent standard normals and uniforms of draws ``start .. stop - 1`` of a design, whatever the chunk.

    Parameters
    ----------
    sampling : str
        ``"random"``, ``"lhs"`` or ``"sobol"``.
    seed : int
        Root seed of the design.
    start, stop : int
        The draws [draws], ``0 <= start < stop``.
    normals, uniforms : int
        Number of standard normal and of uniform columns [1].

    Returns
    -------
    tuple of numpy.ndarray
        Normals, shape (stop - start, normals), and uniforms in [0, 1), shape (stop - start, uniforms).

    Examples
    --------
    A chunk is the same draws as the whole run:

    >>> whole = design("sobol", 3, 0, 3000, 2, 1)[0]
    >>> bool(np.array_equal(whole[1000:2100], design("sobol", 3, 1000, 2100, 2, 1)[0]))
    True
    >>> z, u = design("lhs", 1, 0, 1024, 2, 1)
    >>> sorted(np.floor(u[:, 0] * 1024).astype(int).tolist()) == list(range(1024))  # a block has one point per stratum
    True
    """
    if check_sampling(sampling) == "sobol":  # one sequence over all draws: fast-forwarded to the chunk
        if not normals + uniforms:
            return np.zeros((stop - start, 0)), np.zeros((stop - start, 0))
        engine = qmc.Sobol(normals + uniforms, scramble=True, rng=block_generator(seed, _SOBOL_KEY))
        if start:  # fast_forward(0) of a fresh engine fails in SciPy 1.17
            engine.fast_forward(start)
        with warnings.catch_warnings():  # the docstring states the power-of-2 property; a chunk need not have it
            warnings.filterwarnings("ignore", "The balance properties of Sobol' points", UserWarning)
            points = engine.random(stop - start)
        return special.ndtri(points[:, :normals]), points[:, normals:]
    first, last = start // BLOCK, (stop - 1) // BLOCK
    parts = [_block(sampling, seed, b, normals, uniforms) for b in range(first, last + 1)]
    offset = first * BLOCK
    z = np.concatenate([p[0] for p in parts])[start - offset : stop - offset]
    u = np.concatenate([p[1] for p in parts])[start - offset : stop - offset]
    return z, u


def correlate(normals: np.ndarray, chol: np.ndarray) -> np.ndarray:
    """``normals @ chol.T`` in blocks of :data:`BLOCK` rows with a fixed summation order (no BLAS), shape of ``normals``.

    Examples
    --------
    >>> chol = np.linalg.cholesky(np.array([[1.0, 0.5], [0.5, 1.0]]))
    >>> z = np.array([[1.0, 2.0]])
    >>> bool(np.allclose(correlate(z, chol), z @ chol.T))
    True
    """
    out = np.empty_like(normals)
    for first in range(0, normals.shape[0], BLOCK):
        rows = slice(first, first + BLOCK)
        out[rows] = np.einsum("nk,jk->nj", normals[rows], chol, optimize=False)
    return out
