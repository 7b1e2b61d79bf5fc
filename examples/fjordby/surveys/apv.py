#!/usr/bin/env python3
"""Generate Fjordby's (fictional) wellbeing survey (APV) files, and print the figures `plan`
must give for them, computed here by another route (fractions; Wilson's interval and the
pooled two-proportion z-test by their textbook formulas).

    python3 examples/fjordby/surveys/apv.py

The answers are invented (a seeded random generator). Files written (in this folder):
  apv-2021.csv   respondents, wide, UTF-8, `,`: one row per respondent
  apv-2023.csv   respondents, long, UTF-8, `,`: one row per answer
"""

import math
import random
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Invited and answering staff per unit; Tandplejen is below min_group_size = 4 in both waves.
UNITS = {"Borgerservice": (16, 14), "Jobcenter": (13, 11), "Hjemmeplejen": (24, 21), "Tandplejen": (3, 3), "Skoleadministration": (9, 8)}
Z = 1.959963984540054
POSITIVE = {4, 5}


def answer(rng, centre):
    if rng.random() < 0.05:
        return ""  # no answer to this question
    return str(min(5, max(1, round(rng.gauss(centre, 0.9)))))


def wave(seed, centre, first):
    rng = random.Random(seed)
    rows, number = [], first
    for unit, (_, answered) in UNITS.items():
        for _ in range(answered):
            number += 1
            rows.append((str(number), unit, answer(rng, centre)))
    return rows


def wilson(x, n):
    p = x / n
    c = p + Z * Z / (2 * n)
    h = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return 100 * (c - h) / (1 + Z * Z / n), 100 * (c + h) / (1 + Z * Z / n)


def main():
    w21, w23 = wave(2021, 3.7, 7000), wave(2023, 4.0, 8000)
    with open(HERE / "apv-2021.csv", "w", encoding="utf-8", newline="") as f:
        f.write("respondent,unit,trivsel\n")
        for r in w21:
            f.write(",".join(r) + "\n")
    with open(HERE / "apv-2023.csv", "w", encoding="utf-8", newline="") as f:
        f.write("respondent,unit,indicator,score\n")
        for r in w23:
            f.write(f"{r[0]},{r[1]},trivsel,{r[2]}\n")
    invited = sum(i for i, _ in UNITS.values())
    figures = []
    for name, rows in (("2021-apv", w21), ("2023-apv", w23)):
        scores = [int(r[2]) for r in rows if r[2]]
        n, x = len(scores), sum(1 for s in scores if s in POSITIVE)
        figures.append((x, n))
        print(f"{name}: respondents {len(rows)} of {invited} invited = {100 * len(rows) / invited:.1f} %")
        print(f"  mean {float(Fraction(sum(scores), n)):.4f}, n {n}")
        print(f"  share {x}/{n} = {100 * x / n:.4f} %, Wilson {wilson(x, n)}")
    (x1, n1), (x2, n2) = figures
    pb = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / math.sqrt(pb * (1 - pb) * (1 / n1 + 1 / n2))
    print(f"z = {z:.4f}, p = {math.erfc(abs(z) / math.sqrt(2)):.4g}")


if __name__ == "__main__":
    main()
