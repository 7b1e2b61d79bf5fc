#!/usr/bin/env python3
"""Generate the (fictional) survey files of the shares test plan, and print the figures
`plan` must give for them, computed here by another route (fractions, and Wilson's interval
and the z-test by their textbook formulas).

    python3 tests/plans/shares/surveys/generate.py

Files: 2022-bred.csv (respondents, wide) and 2024-lang.csv (respondents, long).
"""

import math
import random
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
UNITS = {"Hjemmeplejen": 22, "Tandplejen": 3, "Skolerne": 17, "Rådhuset": 12}
Z = 1.959963984540054
POSITIVE = {4, 5}


def answers(rng, centre):
    """One answer on 1..5 around `centre`, blank now and then (no answer)."""
    if rng.random() < 0.06:
        return ""
    return str(min(5, max(1, round(rng.gauss(centre, 1.0)))))


def generate(wave, centre, seed):
    rng = random.Random(seed)
    rows = []
    number = 1000 if wave == "2022" else 5000
    for unit, size in UNITS.items():
        for _ in range(size + (2 if wave == "2024" else 0)):
            number += 1
            rows.append((str(number), unit, answers(rng, centre), answers(rng, centre - 0.4)))
    return rows


def wilson(x, n):
    p = x / n
    c = p + Z * Z / (2 * n)
    h = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    s = 1 + Z * Z / n
    return 100 * (c - h) / s, 100 * (c + h) / s


def summary(rows, column):
    scores = [int(r[column]) for r in rows if r[column]]
    x = sum(1 for s in scores if s in POSITIVE)
    return scores, x


def main():
    w22 = generate("2022", 3.6, 22)
    w24 = generate("2024", 3.9, 24)
    with open(HERE / "2022-bred.csv", "w", encoding="utf-8", newline="") as f:
        f.write("respondent,unit,tilfreds,ledelse\n")
        for r in w22:
            f.write(",".join(r) + "\n")
    with open(HERE / "2024-lang.csv", "w", encoding="utf-8", newline="") as f:
        f.write("respondent,unit,indicator,score\n")
        for r in w24:
            f.write(f"{r[0]},{r[1]},tilfreds,{r[2]}\n")
            f.write(f"{r[0]},{r[1]},ledelse,{r[3]}\n")
    for name, column in (("tilfreds", 2), ("ledelse", 3)):
        (s1, x1), (s2, x2) = summary(w22, column), summary(w24, column)
        n1, n2 = len(s1), len(s2)
        print(f"{name}: mean {float(Fraction(sum(s1), n1)):.4f} -> {float(Fraction(sum(s2), n2)):.4f}")
        print(f"  share 2022 {x1}/{n1} = {100 * x1 / n1:.4f} %, Wilson {wilson(x1, n1)}")
        print(f"  share 2024 {x2}/{n2} = {100 * x2 / n2:.4f} %, Wilson {wilson(x2, n2)}")
        pb = (x1 + x2) / (n1 + n2)
        z = (x2 / n2 - x1 / n1) / math.sqrt(pb * (1 - pb) * (1 / n1 + 1 / n2))
        print(f"  z = {z:.4f}, p = {math.erfc(abs(z) / math.sqrt(2)):.4g}")
    print(f"respondents 2022 {len(w22)}, 2024 {len(w24)}")


if __name__ == "__main__":
    main()
