#!/usr/bin/python3
"""lockin's built-in default scenario (SPEC v1.2, sections 2-7) written out
as a straightforward vectorised NumPy program: what a modeller would write
first in Python.  Not part of the product; `make bench` runs it (when
Debian's python3-numpy is there) to put lockin's cost beside that of the
same model in NumPy (issue 12: at least 20x), and to check that the two
agree.

It is a second, independent implementation of the model's rules for the
default scenario: N developers in mean field, one segment, 5 vendors, the
neutral hub live from the start, the investment of step 0 declined and the
spurned vendor's hub launched at step 12 (the response's coin made certain,
probability 1, as in make bench's end-to-end run); entry "none", peer forms
"share".  Per step: events, revisers (a Bernoulli mask), every reviser's
utility in every live cell, the logit choice by one uniform, the switches
and tenures, maturity, catalogs and trust, then every metric of SPEC 7
(activity, switches, tenure, shares, HHI, entropy, D1, D2, CR1, cell D1,
maturity, catalog, neutrality, revenue, value, owners' value); per
replication tip_step and launch_step; over replications the mean, sd, 95%
interval and quantiles of every metric at every step, written as CSV.
Random numbers are NumPy's own (PCG64), so it agrees with lockin in
distribution, not draw for draw.

usage: spec.py N R OUTDIR [--accept] [--compare LOCKIN_SUMMARY_CSV [--all]]
Prints the nanoseconds per developer-step of the whole run (set-up, steps,
metrics, statistics, the CSV); with lockin's summary.csv of the same run,
eight of the final step's means side by side, and with --all how far apart
every metric's means are at every step (make crosscheck).  --accept: the
investment accepted and the competitors' neutral hub certain (the file's
open_hub response), instead of declined and the vendor's hub certain."""
import csv
import math
import os
import sys
import time

import numpy as np

# --- the built-in default scenario (lockin check prints it; SPEC 8) ------
T, PER_YEAR = 120, 12
LAM, TENURE0 = 0.0417, 0
SIGMA, PUB_PROB, REVENUE = 0.5, 0.05, 1000.0
MU, B_PP, B_S, G_V, B_C, G_H, B_N, B_TH = 1.0, 3.0, 2.0, 1.5, 1.0, 1.0, 1.0, 1.0
C0, C1, D0, D1, TAU_MAX = 1.0, 0.03, 0.3, 0.0, 36
ZETA, DELTA, UPLOADS, RHO, OMEGA = 0.02, 0.005, 20.0, 0.6, 0.1
ORGS, G_R, DISC, TERM = 0, 0.3, 0.1, 10.0
VENDORS = ["nvidia", "amd", "intel", "asic", "cloud"]
PP0 = np.ones(5)
GROWTH = np.full(5, 0.25)
S0 = np.array([1.0, 0.6, 0.3, 0.5, 0.5])
ETA = np.zeros(5)
VSHARE0 = np.array([0.88, 0.06, 0.01, 0.03, 0.02])
HUBS = ["hf", "nvidia_hub", "open_hub"]
NEUTRAL0 = np.array([0.95, 0.2, 0.9])
CATALOG0 = np.array([2.5e6, 0.0, 0.0])
HSHARE0 = np.array([1.0, 0.0, 0.0])
LIVE0 = np.array([True, False, False])
MONET = np.array([1.0, 0.0, 1.0])
TILT = np.zeros((3, 5))
TILT[1, 0] = 0.8
SUB = np.zeros((3, 5))
SUB[1, 0] = 0.5
SUB[2, 1:] = 0.3
FOCAL, TIP = 0, 0.5
# the event: nvidia offers 500 for a stake in hf (valuation 7000), declined
EV_STEP, EV_HUB, EV_INVESTOR, EV_DECISION = 0, 0, 0, "decline"
EV_AMOUNT, EV_VALUATION, EV_NLOSS, EV_TILT = 500.0, 7000.0, 3.0, 0.2
EV_BOOST, EV_BOOST_STEPS, EV_NGAIN = 0.5, 24, 0.0
# responses: (hub, on, probability, delay, mirror, default_fraction, backers)
RESPONSES = [(1, "decline", 0.5, 12, 0.3, 0.2, [0]),
             (2, "accept", 0.3, 12, 0.3, 0.1, [1, 2, 3, 4])]
J, K = len(VENDORS), len(HUBS)


def largest_remainder(shares, n):
    """Exact counts from shares (normalised), remainder ties to the lowest index."""
    s = shares / shares.sum() if shares.sum() > 0 else np.full(len(shares), 1.0 / len(shares))
    q = s * n
    c = np.floor(q).astype(np.int64)
    left = n - c.sum()
    order = sorted(range(len(s)), key=lambda i: (-(q[i] - c[i]), i))
    for i in order[:left]:
        c[i] += 1
    return c


def diversity(x):
    """hhi, entropy, d1, d2, cr1 of shares x (all 0 when x is all 0)."""
    s2 = float(np.dot(x, x))
    if s2 == 0:
        return [0.0] * 5
    nz = x[x > 0]
    ent = float(-(nz * np.log(nz)).sum())
    return [10000.0 * s2, ent, math.exp(ent), 1.0 / s2, float(x.max())]


def metric_names():
    names = ["active", "revisions", "vendor_switches", "hub_switches", "mean_tenure"]
    names += ["vendor_share." + v for v in VENDORS] + ["hub_share." + h for h in HUBS]
    for who in ("vendor", "hub"):
        names += [who + "_" + m for m in ("hhi", "entropy", "d1", "d2", "cr1")]
    names.append("cell_d1")
    names += ["maturity." + v for v in VENDORS]
    for m in ("catalog", "neutrality", "revenue", "value", "owners_value"):
        names += [m + "." + h for h in HUBS]
    return names


def replication(n, rng):
    """One replication: the metrics (T x M), tip_step and launch steps."""
    z = rng.standard_normal((n, 3))
    e = np.exp(SIGMA * z - SIGMA * SIGMA / 2)
    bpp, bn, kappa = B_PP * e[:, 0], B_N * e[:, 1], e[:, 2]
    publisher = rng.random(n) < PUB_PROB
    revenue = np.full(n, REVENUE)
    vendor = rng.permutation(np.repeat(np.arange(J), largest_remainder(VSHARE0, n)))
    live = LIVE0.copy()
    hub = rng.permutation(np.repeat(np.arange(K), largest_remainder(HSHARE0 * live, n)))
    sv = np.full(n, -1 - TENURE0)  # step of the last vendor switch: tau = t - sv
    sh = np.full(n, -1 - TENURE0)
    S, neutral, trust = S0.copy(), NEUTRAL0.copy(), NEUTRAL0.copy()
    catalog, tilt = CATALOG0.copy(), TILT.copy()
    launch = np.where(live, 0, -1)
    boost = np.zeros((T, K))
    stake, cash = np.zeros(K), np.zeros(K)
    pending = []  # (step, response)
    pv = np.zeros(K)
    out = np.zeros((T, len(metric_names())))
    tip = -1
    for t in range(T):
        hswitch = 0
        # 1. events
        if t == EV_STEP:
            if EV_DECISION == "accept":
                sigma = EV_AMOUNT / EV_VALUATION
                neutral[EV_HUB] = min(1.0, max(0.0, neutral[EV_HUB] - EV_NLOSS * sigma))
                tilt[EV_HUB, EV_INVESTOR] = min(1.0, tilt[EV_HUB, EV_INVESTOR] + EV_TILT)
                boost[t:t + EV_BOOST_STEPS, EV_HUB] += EV_BOOST * EV_AMOUNT / 1000
                stake[EV_HUB] += sigma
                cash[EV_HUB] += EV_AMOUNT * (1 + DISC) ** (-EV_STEP / PER_YEAR)
            else:
                trust[EV_HUB] = min(1.0, trust[EV_HUB] + EV_NGAIN)
            for r in RESPONSES:
                if r[1] in (EV_DECISION, "any") and rng.random() < r[2]:
                    pending.append((t + r[3], r))
        for due, (k, _, _, _, mirror, frac, backers) in pending:
            if due != t or live[k]:
                continue
            live[k], launch[k] = True, t
            catalog[k] = CATALOG0[k] + mirror * catalog[EV_HUB]
            moved = np.isin(vendor, backers) & (rng.random(n) < frac)
            hub[moved], sh[moved] = k, t
            hswitch += int(moved.sum())
        # 3. revisers (everyone is active: entry "none")
        rev = np.flatnonzero(rng.random(n) < LAM)
        # 4. choice, from the state at the start of the step
        x = np.bincount(vendor, minlength=J) / n
        y = np.bincount(hub, minlength=K) / n
        ks = np.flatnonzero(live)
        others = np.array([[np.max(np.delete(tilt[k], j)) if J > 1 else 0.0 for j in range(J)]
                           for k in ks])
        base = (B_S * S + G_V * x)[:, None] + (B_C * np.log1p(catalog[ks]) + G_H * y[ks])[None, :] \
            + (B_TH * (tilt[ks] - others) + SUB[ks]).T
        lnpp = np.log(PP0) + GROWTH * t / PER_YEAR
        v0, h0 = vendor[rev], hub[rev]
        tv = np.minimum(t - 1 - sv[rev], TAU_MAX)
        th = np.clip(t - 1 - sh[rev], 0, TAU_MAX)  # 0 for one moved by this step's launch
        jj = np.arange(J)[None, :, None]
        kk = ks[None, None, :]
        u = (base[None] + bpp[rev, None, None] * lnpp[None, :, None]
             + bn[rev, None, None] * trust[ks][None, None, :]
             - np.where(jj != v0[:, None, None], (kappa[rev] * (C0 + C1 * tv))[:, None, None], 0.0)
             - np.where(kk != h0[:, None, None], (D0 + D1 * th)[:, None, None], 0.0))
        u = u.reshape(len(rev), -1) / MU
        w = np.exp(u - u.max(axis=1, keepdims=True))
        c = np.cumsum(w, axis=1)
        pick = np.minimum((c < rng.random(len(rev))[:, None] * c[:, -1:]).sum(axis=1), c.shape[1] - 1)
        j, k = pick // len(ks), ks[pick % len(ks)]
        # 5. apply
        vs, hs = j != v0, k != h0
        sv[rev[vs]], sh[rev[hs]] = t, t
        vendor[rev], hub[rev] = j, k
        hswitch += int(hs.sum())
        # 6. update from the end-of-step state
        nv = np.bincount(vendor, minlength=J)
        nh = np.bincount(hub, minlength=K)
        x, y = nv / n, nh / n
        S += np.minimum(1.0, ETA + ZETA * x) * (1 - S)
        pk = np.bincount(hub[publisher], minlength=K)
        grown = (1 - DELTA) * catalog + UPLOADS * (1 + boost[t]) * (pk + RHO * (pk.sum() - pk))
        catalog = np.where(live, grown, catalog)
        trust = np.where(live, trust + OMEGA * (neutral - trust), trust)
        # 7. metrics
        cell = np.bincount(vendor * K + hub, minlength=J * K) / n
        rate = (ORGS or n) / n * MONET * math.exp(G_R * t / PER_YEAR) \
            * np.bincount(hub, weights=revenue, minlength=K) / 1e6
        d = (1 + DISC) ** (-(t + 1) / PER_YEAR)
        pv += rate / PER_YEAR * d
        value = pv + TERM * rate * d
        owners = np.where(stake > 0, (1 - np.minimum(1, stake)) * (value + cash), value)
        out[t] = np.concatenate([[n, len(rev), int(vs.sum()), hswitch, float(np.mean(t - sv))],
                                 x, y, diversity(x), diversity(y), [diversity(cell)[2]], S,
                                 np.where(live, catalog, 0.0), trust, rate, value, owners])
        if tip < 0 and y[FOCAL] < TIP:
            tip = t
    return out, tip, launch


def t_tail(x, df, steps=20000):
    """P(|T| > x) for Student's t with df degrees of freedom (trapezoids)."""
    c = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    h = (200.0 - x) / steps
    f = [c * (1 + (x + k * h) ** 2 / df) ** (-(df + 1) / 2) for k in range(steps + 1)]
    return 2 * h * (sum(f) - (f[0] + f[-1]) / 2)


def t_quantile975(df):
    """The 0.975 quantile of Student's t, by bisection on t_tail (Cauchy's
    in closed form: its tail is too heavy for t_tail's range)."""
    if df == 1:
        return math.tan(math.pi * 0.475)
    lo, hi = 1.9, 13.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if t_tail(mid, df, 4000) > 0.05 else (lo, mid)
    return (lo + hi) / 2


def summarise(runs, path):
    """mean, sd, 95% t interval, 5/50/95% quantiles over replications."""
    r = runs.shape[0]
    mean, sd = runs.mean(axis=0), runs.std(axis=0, ddof=1) if r > 1 else np.zeros(runs.shape[1:])
    tq = t_quantile975(r - 1) if r > 1 else 0.0
    half = tq * sd / math.sqrt(r)
    q = np.percentile(runs, [5, 50, 95], axis=0)
    names = metric_names()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["step"] + [f"{m}.{s}" for m in names
                                for s in ("mean", "sd", "lo", "hi", "p05", "p50", "p95")])
        for t in range(T):
            row = [t]
            for i in range(len(names)):
                row += [repr(float(v)) for v in (mean[t, i], sd[t, i], mean[t, i] - half[t, i],
                                                 mean[t, i] + half[t, i], q[0, t, i], q[1, t, i],
                                                 q[2, t, i])]
            wr.writerow(row)
    return mean, sd


def compare(mean, sd, r, lockin_csv, every):
    """lockin's means against these, in standard errors of the difference:
    eight at the final step, then every metric at every step (the share of
    differences beyond 2 and 3 standard errors, against what chance gives
    with r replications a side: Student's t with 2r - 2 degrees of freedom)."""
    with open(lockin_csv) as f:
        rows = list(csv.DictReader(f))
    names = metric_names()

    def z(t, m):
        i = names.index(m)
        a, sa = float(rows[t][m + ".mean"]), float(rows[t][m + ".sd"])
        b, sb = mean[t, i], sd[t, i]
        se = math.sqrt((sa * sa + sb * sb) / r)
        if se > 1e-12 * max(1.0, abs(a)):
            return a, b, (b - a) / se
        return a, b, 0.0 if abs(b - a) <= 1e-9 * max(1.0, abs(a)) else math.inf

    for m in ("hub_share.hf", "hub_share.nvidia_hub", "vendor_share.nvidia", "vendor_hhi",
              "catalog.hf", "value.hf", "mean_tenure", "hub_switches"):
        a, b, zz = z(T - 1, m)
        print("  step %d %-22s lockin %.6g  numpy %.6g  (difference %.2f standard errors)"
              % (T - 1, m, a, b, zz))
    if not every:
        return
    zs = [z(t, m)[2] for t in range(T) for m in names]
    exact = sum(1 for v in zs if v == 0.0)
    varied = [abs(v) for v in zs if v != 0.0]
    over2 = sum(1 for v in varied if v > 2) / max(1, len(varied))
    over3 = sum(1 for v in varied if v > 3) / max(1, len(varied))
    df = 2 * r - 2
    print("  every metric at every step: %d means with variance, %.1f%% beyond 2 standard errors "
          "and %.1f%% beyond 3 (chance: %.1f%% and %.1f%%), largest %.2f; %d without variance, "
          "%s" % (len(varied), 100 * over2, 100 * over3, 100 * t_tail(2, df), 100 * t_tail(3, df),
                  max(varied) if varied else 0.0, len(zs) - len(varied),
                  "all equal" if exact == len(zs) - len(varied) else "NOT all equal"))


def main():
    global EV_DECISION
    args = sys.argv[1:]
    every = "--all" in args
    cmp_csv = args[args.index("--compare") + 1] if "--compare" in args else None
    if "--accept" in args:
        EV_DECISION = "accept"
    pos = [a for i, a in enumerate(args)
           if not a.startswith("--") and (i == 0 or args[i - 1] != "--compare")]
    n = int(pos[0]) if len(pos) > 0 else 100000
    r = int(pos[1]) if len(pos) > 1 else 10
    outdir = pos[2] if len(pos) > 2 else "/tmp/lockin_spec_numpy"
    # the branch's response made certain, as the runs it is set beside
    i = 1 if EV_DECISION == "accept" else 0
    RESPONSES[i] = RESPONSES[i][:2] + (1.0,) + RESPONSES[i][3:]
    t0 = time.perf_counter()
    rng = np.random.default_rng(1)
    runs, tips, launches = [], [], []
    for _ in range(r):
        o, tip, launch = replication(n, rng)
        runs.append(o)
        tips.append(tip)
        launches.append(launch)
    mean, sd = summarise(np.array(runs), os.path.join(outdir, "summary.csv"))
    with open(os.path.join(outdir, "runs.csv"), "w") as f:
        f.write("replication,tip_step," + ",".join("launch_step." + h for h in HUBS) + "\n")
        for i in range(r):
            f.write("%d,%d,%s\n" % (i, tips[i], ",".join(str(int(v)) for v in launches[i])))
    secs = time.perf_counter() - t0
    print("numpy spec: %.2f ns per developer-step (N = %d, %d replications, %d steps, %.2f s; "
          "the investment %sed, its response certain)"
          % (secs * 1e9 / (n * r * T), n, r, T, secs, EV_DECISION[:-1] if EV_DECISION.endswith("e")
             else EV_DECISION))
    if cmp_csv:
        compare(mean, sd, r, cmp_csv, every)


if __name__ == "__main__":
    main()
