#!/usr/bin/python3
"""The step of bench/floor.c written as a straightforward vectorised NumPy
program: what a modeller would write first in Python.  Not part of the
product; `make bench` runs it (when Debian's python3-numpy is there) to put
lockin's cost per developer-step beside it (issue 12: at least 20x).

Same market as the floor: N developers in mean field, 5 vendors, the
neutral hub live from the start and a vendor hub from step 12, everyone
active, 120 steps, revision rate 0.0417, temperature 1; per step the
shared table of cell utilities from the counts, the revisers (a Bernoulli
mask), every reviser's utility in every live cell with its own tastes and
switching costs by tenure, the logit weights, one uniform each, the cell
picked by the cumulative weights, counts and tenure updated.

Prints the nanoseconds per developer-step (best of 3)."""
import sys
import time

import numpy as np

J, K, STEPS = 5, 2, 120


def run(n, seed):
    rng = np.random.default_rng(seed)
    u = rng.random((n, 2))
    bpp = 3.0 * np.exp(0.5 * (u[:, 0] - 0.5))
    bn = 1.0 * np.exp(0.5 * (u[:, 1] - 0.5))
    kappa = np.exp(0.5 * (u[:, 0] * u[:, 1] - 0.25))
    share0 = np.array([0.88, 0.06, 0.01, 0.03, 0.02])
    vendor = np.minimum(np.searchsorted(np.cumsum(share0), np.arange(n) / n, side="right"), J - 1)
    hub = np.zeros(n, dtype=np.int64)
    sv = np.zeros(n, dtype=np.int64)
    sh = np.zeros(n, dtype=np.int64)
    maturity = np.array([1.0, 0.6, 0.3, 0.5, 0.5])
    neutral = np.array([0.95, 0.2])
    lam = 0.0417
    t0 = time.perf_counter()
    for t in range(STEPS):
        live = K if t >= 12 else 1
        nv = np.bincount(vendor, minlength=J)
        nh = np.bincount(hub, minlength=K)
        lnpp = np.full(J, 0.25 * t / 12.0)
        base = (2.0 * maturity[:, None] + 1.5 * nv[:, None] / n + np.log1p(2.5e6 + 1e4 * t)
                + 1.0 * nh[None, :live] / n)
        if live > 1:
            base[0, 1] += 0.8 + 0.5
        rev = np.flatnonzero(rng.random(n) < lam)
        j0, k0 = vendor[rev], hub[rev]
        tv = np.minimum(t - sv[rev], 36)
        th = np.minimum(t - sh[rev], 36)
        vcost = kappa[rev] * (1.0 + 0.03 * tv)
        hcost = 0.3 + 0.0 * th
        jj = np.arange(J)[None, :, None]
        kk = np.arange(live)[None, None, :]
        v = (base[None, :, :] + bpp[rev, None, None] * lnpp[None, :, None]
             + bn[rev, None, None] * neutral[None, None, :live]
             - np.where(jj != j0[:, None, None], vcost[:, None, None], 0.0)
             - np.where(kk != k0[:, None, None], hcost[:, None, None], 0.0))
        v = v.reshape(len(rev), J * live)
        w = np.exp(v - v.max(axis=1, keepdims=True))
        c = np.cumsum(w, axis=1)
        target = rng.random(len(rev)) * c[:, -1]
        pick = np.minimum((c < target[:, None]).sum(axis=1), J * live - 1)
        j, k = pick // live, pick % live
        sv[rev] = np.where(j != j0, t, sv[rev])
        sh[rev] = np.where(k != k0, t, sh[rev])
        vendor[rev], hub[rev] = j, k
    return time.perf_counter() - t0


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    best = min(run(n, seed) for seed in (1, 2, 3))
    print("numpy reference: %.2f ns per developer-step (best of 3, N = %d)"
          % (best * 1e9 / (n * STEPS), n))


if __name__ == "__main__":
    main()
