"""Reference values for tests/agreement.rs, computed with the established
implementations: `krippendorff` (alpha, nominal), scikit-learn
(`cohen_kappa_score`) and NLTK (`AnnotationTask.multi_kappa`).

Run:  pip install krippendorff scikit-learn nltk regex
      python3 tests/agreement/reference.py > tests/agreement/reference.json
(recorded with krippendorff 0.9.0, scikit-learn 1.9.1, nltk 3.10.4).

Units and labels are derived here independently of Gloss, from the rules in
the issue: char units are the code points that are not White_Space; tokens
match \\w+|[^\\w\\s] with \\w as Unicode defines it (UTS #18: Alphabetic,
marks, decimal digits, connector punctuation, Join_Control); a unit's label
is the sorted, '+'-joined set of codes of the annotator's annotations
overlapping it, or 'O'. Undefined figures are null.
"""
import json, math, os, sys
import krippendorff, regex
from sklearn.metrics import cohen_kappa_score
from nltk.metrics.agreement import AnnotationTask

W = r"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]"
TOKEN = regex.compile(W + r"+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}\p{White_Space}]")
SPACE = regex.compile(r"\p{White_Space}")

def units(text, kind):
    if kind == "char":
        return [(i, i + 1) for i, c in enumerate(text) if not SPACE.match(c)]
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]

def label(anns, s, e):
    codes = sorted({c for a in anns for c in a["codes"] if a["start"] < e and a["end"] > s})
    return "+".join(codes) if codes else "O"

def nan_to_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

def alpha(rows):
    domain = sorted({v for r in rows for v in r})
    if len(domain) < 2:
        return None  # krippendorff raises: "more than one value in the domain"
    data = [[domain.index(v) for v in r] for r in rows]
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))

def kappa(a, b):
    if len(set(a) | set(b)) < 2:
        return None
    return nan_to_none(cohen_kappa_score(a, b))

def multi_kappa(rows, names):
    task = AnnotationTask(data=[(names[i], u, v) for i, r in enumerate(rows) for u, v in enumerate(r)])
    return float(task.multi_kappa())

def spans(case, who):
    return sorted({(d, a["start"], a["end"], c)
                   for d, doc in enumerate(case["documents"])
                   for a in doc["annotations"] if a["author"] == who
                   for c in a["codes"]})

def prf(hy, ny, hx, nx):
    p = hy / ny if ny else 0.0
    r = hx / nx if nx else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

def overlaps(s, t):
    return s[0] == t[0] and s[3] == t[3] and s[1] < t[2] and t[1] < s[2]

def figures(case):
    names = case["annotators"]
    out = {"annotators": names, "units": {}}
    for kind in ("char", "token"):
        rows = [[] for _ in names]
        for doc in case["documents"]:
            us = units(doc["text"], kind)
            for i, who in enumerate(names):
                mine = [a for a in doc["annotations"] if a["author"] == who]
                rows[i] += [label(mine, s, e) for s, e in us]
        pairwise = {}
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                a, b = rows[i], rows[j]
                pairwise[f"{names[i]}-{names[j]}"] = {
                    "cohen_kappa": kappa(a, b),
                    "krippendorff_alpha_nominal": alpha([a, b]),
                    "observed_agreement": sum(x == y for x, y in zip(a, b)) / len(a),
                }
        out["units"][kind] = {
            "n_units": len(rows[0]),
            "krippendorff_alpha_nominal": alpha(rows),
            "multi_kappa_davies_fleiss": multi_kappa(rows, names),
            "pairwise": pairwise,
        }
    out["span_f1"] = {}
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            x, y = spans(case, names[i]), spans(case, names[j])
            ex = len(set(x) & set(y))
            out["span_f1"][f"{names[i]}-{names[j]}"] = {
                "exact": prf(ex, len(y), ex, len(x)),
                "overlap": prf(sum(any(overlaps(s, t) for t in x) for s in y), len(y),
                               sum(any(overlaps(s, t) for t in y) for s in x), len(x)),
            }
    pairs = list(out["span_f1"].values())
    out["span_f1_mean_over_pairs"] = {
        k: sum(p[k]["f1"] for p in pairs) / len(pairs) for k in ("exact", "overlap")
    }
    return out

here = os.path.dirname(os.path.abspath(__file__))
cases = json.load(open(os.path.join(here, "cases.json"), encoding="utf-8"))
json.dump([figures(c) for c in cases], sys.stdout, indent=1, ensure_ascii=False)
print()
