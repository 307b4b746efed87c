"""How decision 0015 chose between the plan's rules and a learned model: 5-fold
cross-validation on the *tuning* part of the labelled set only (the held-out quarter is never
read here). Pure Python and deterministic (folds by the SHA-256 of the title, examples in file
order, no random state), so no dependency is added for a model that is not shipped.

    PYTHONPATH=. .venv/bin/python -m tests.support.compare_methods

The model: softmax regression (per-class weights, plain SGD, L2) over the title's character
2-5 grams without marks, its words and word pairs with marks, its first words, the section it
was listed in, and optionally the rules' own verdict (rule, kind, confidence, document type) as
features. Printed: exact accuracy with the section, rules alone, model alone, and the
combinations (the model where the rules are unconfident; the model overriding the rules above a
probability threshold). Takes a few minutes on one core.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter

from minhbach.plan import default_plan_path, load_plan
from portal_monitor.domain.classify import Classification, Classifier
from portal_monitor.domain.text import fold_case, strip_diacritics
from tests.support.title_set import KINDS, LabelledTitle, load

Features = dict[str, float]
Weights = dict[str, list[float]]
FOLDS = 5
THRESHOLDS = (0.5, 0.7, 0.9)


def _fold(item: LabelledTitle) -> int:
    # other bits of the digest than the held-out split uses
    return int(hashlib.sha256(item.title.encode("utf-8")).hexdigest()[8:16], 16) % FOLDS


def _features(item: LabelledTitle, found: Classification, with_rules: bool) -> Features:
    counts: Counter[str] = Counter()
    accented = fold_case(item.title)
    bare = " " + re.sub(r"\s+", " ", strip_diacritics(accented)) + " "
    for n in (2, 3, 4, 5):
        for i in range(len(bare) - n + 1):
            counts["c" + bare[i : i + n]] += 1
    words = re.findall(r"\w+", accented)
    counts.update("w" + w for w in words)
    counts.update(f"b{a}_{b}" for a, b in itertools.pairwise(words))
    if words:
        counts["first " + words[0]] += 3
    if len(words) > 1:
        counts[f"first2 {words[0]} {words[1]}"] += 3
    if item.section:
        counts["section " + item.section] += 3
    if with_rules:
        counts["rule " + found.rule] += 3
        counts["rule-kind " + found.kind] += 3
        counts[f"rule-confident {found.confident}"] += 1
        counts[f"type {found.document_type}"] += 2
    norm = math.sqrt(sum((1 + math.log(v)) ** 2 for v in counts.values()))
    return {k: (1 + math.log(v)) / norm for k, v in counts.items()}


def _scores(weights: Weights, x: Features) -> list[float]:
    scores = [0.0] * len(KINDS)
    for key, value in x.items():
        row = weights.get(key)
        if row is not None:
            for j, w in enumerate(row):
                scores[j] += w * value
    return scores


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def train(data: list[tuple[Features, str]], epochs: int = 30, rate: float = 0.5) -> Weights:
    weights: Weights = {}
    index = {kind: i for i, kind in enumerate(KINDS)}
    for _ in range(epochs):
        for x, label in data:
            p = _softmax(_scores(weights, x))
            p[index[label]] -= 1.0
            for key, value in x.items():
                row = weights.setdefault(key, [0.0] * len(KINDS))
                for j in range(len(KINDS)):
                    row[j] -= rate * (p[j] * value + 1e-4 * row[j])
    return weights


def predict(weights: Weights, x: Features) -> tuple[str, float]:
    p = _softmax(_scores(weights, x))
    best = max(range(len(KINDS)), key=lambda j: p[j])
    return KINDS[best], p[best]


def compare(with_rules: bool) -> Counter[str]:
    plan = load_plan(default_plan_path())
    assert plan.portal_monitoring is not None
    classifier = Classifier.from_monitoring(plan.portal_monitoring)
    tuning = [t for t in load() if not t.held_out]
    found = {
        t.title: classifier.classify(t.title, None, classifier.own_number(t.title), t.section)
        for t in tuning
    }
    right: Counter[str] = Counter()
    for fold in range(FOLDS):
        train_part = [t for t in tuning if _fold(t) != fold]
        weights = train(
            [(_features(t, found[t.title], with_rules), t.expected) for t in train_part]
        )
        for item in (t for t in tuning if _fold(t) == fold):
            rule = found[item.title]
            kind, p = predict(weights, _features(item, rule, with_rules))
            right["rules alone"] += rule.kind == item.expected
            right["model alone"] += kind == item.expected
            right["model where the rules are unconfident"] += (
                rule.kind if rule.confident else kind
            ) == item.expected
            for threshold in THRESHOLDS:
                chosen = kind if p >= threshold else rule.kind
                right[f"model overrides the rules at p >= {threshold}"] += chosen == item.expected
    right["total"] = len(tuning)
    return right


def main() -> None:
    for with_rules in (False, True):
        right = compare(with_rules)
        total = right.pop("total")
        features = "text and section" if not with_rules else "text, section and the rules' verdict"
        print(f"model features: {features}; tuning part, 5-fold, exact with the section")
        for name, count in right.items():
            print(f"  {name:45s} {count}/{total} ({100 * count / total:.1f} %)")


if __name__ == "__main__":
    main()
