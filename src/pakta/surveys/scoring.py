"""The internal-survey index, computed with NumPy over the compact answer strings.

Scoring (the same rule KPK publishes for reading SPI: 0 to 100, higher is better; KPK's own
weights are not public, so every dimension counts the same):

* an answer ``a`` on a scale of 1..S scores ``(a - 1) / (S - 1) * 100``; for a reverse-scored
  statement (about a bad practice) ``100`` minus that; an unanswered question ("0") is left out;
* an item's score for a group of respondents is the mean of its answers' scores;
* a dimension's score is the mean of its items' scores; the index is the mean of the dimensions.

Answers are summed per group as small integers (the score is linear in the answer), so 600,000
responses of 30 answers take a few tens of megabytes and one sort.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Layout:
    """What the digits of an answer string mean: the scale and, per position, dimension and sign."""

    scale: int
    dimensions: tuple[str, ...]
    reverse: tuple[bool, ...]


@dataclass
class GroupScore:
    """The scores of one group of respondents (a unit, or the whole Pemda)."""

    respondents: int
    index: float | None
    dimensions: dict[str, float | None] = field(default_factory=dict)


@dataclass
class SurveyScores:
    """Per survey: the whole Pemda and each unit (key None: respondents without a unit)."""

    survey_id: int
    total: GroupScore
    units: dict[int | None, GroupScore] = field(default_factory=dict)


def _scores(
    layout: Layout, sums: np.ndarray, counts: np.ndarray, respondents: np.ndarray
) -> list[GroupScore]:
    """Turn per-group answer sums and counts (groups x items) into group scores."""
    step = 100.0 / (layout.scale - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        item = (sums - counts) * step / counts  # mean score, NaN where nobody answered
    reverse = np.asarray(layout.reverse, dtype=bool)
    item[:, reverse] = 100.0 - item[:, reverse]
    names = list(dict.fromkeys(layout.dimensions))
    dims = np.empty((sums.shape[0], len(names)))
    positions = np.asarray(layout.dimensions)
    for column, name in enumerate(names):
        block = item[:, positions == name]
        answered = ~np.isnan(block)
        with np.errstate(invalid="ignore", divide="ignore"):
            dims[:, column] = np.where(answered, block, 0).sum(axis=1) / answered.sum(axis=1)
    answered_dims = ~np.isnan(dims)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(answered_dims, dims, 0).sum(axis=1) / answered_dims.sum(axis=1)
    # Plain lists with None for "nobody answered", converted once (not value by value).
    index_objects = index.astype(object)
    index_objects[np.isnan(index)] = None
    dims_objects = dims.astype(object)
    dims_objects[np.isnan(dims)] = None
    index_list, dims_list = index_objects.tolist(), dims_objects.tolist()
    return [
        GroupScore(respondents=size, index=value, dimensions=dict(zip(names, row, strict=True)))
        for size, value, row in zip(respondents.tolist(), index_list, dims_list, strict=True)
    ]


def score_responses(
    survey_ids: Sequence[int] | np.ndarray,
    unit_ids: Sequence[int] | np.ndarray,
    answers: Sequence[str],
    layouts: dict[int, Layout],
) -> dict[int, SurveyScores]:
    """Score responses given as three parallel columns (unit -1: none); ``layouts`` maps
    survey id -> Layout."""
    result: dict[int, SurveyScores] = {}
    if not len(answers):
        return result
    surveys = np.asarray(survey_ids, dtype=np.int64)
    units = np.asarray(unit_ids, dtype=np.int64)  # -1: no unit
    # Surveys that share a layout are scored together (usually all of them).
    by_layout: dict[Layout, list[int]] = {}
    for survey_id in np.unique(surveys).tolist():
        by_layout.setdefault(layouts[survey_id], []).append(survey_id)
    for layout, members in by_layout.items():
        if len(by_layout) == 1:
            _score_layout(layout, surveys, units, answers, result)
            continue
        rows = np.flatnonzero(np.isin(surveys, members))
        picked = [answers[i] for i in rows.tolist()]
        _score_layout(layout, surveys[rows], units[rows], picked, result)
    return result


def _score_layout(
    layout: Layout,
    surveys: np.ndarray,
    units: np.ndarray,
    answers: Sequence[str],
    result: dict[int, SurveyScores],
) -> None:
    width = len(layout.dimensions)
    buffer = "".join(answers).encode("ascii")
    if len(buffer) != width * len(answers):
        raise ValueError("An answer string does not match its questionnaire.")
    digits = np.frombuffer(buffer, dtype=np.uint8).reshape(len(answers), width) - ord("0")
    # Sort by (survey, unit): each group is then one run of rows, summed with reduceat.
    order = np.lexsort((units, surveys))
    surveys, units, digits = surveys[order], units[order], digits[order]
    change = np.empty(len(order), dtype=bool)
    change[0] = True
    change[1:] = (surveys[1:] != surveys[:-1]) | (units[1:] != units[:-1])
    starts = np.flatnonzero(change)
    sums = np.add.reduceat(digits, starts, axis=0, dtype=np.int64)
    counts = np.add.reduceat(digits > 0, starts, axis=0, dtype=np.int64)
    sizes = np.diff(np.append(starts, len(order)))
    group_surveys, group_units = surveys[starts], units[starts]
    # Per survey: the sums of its unit groups.
    first = np.flatnonzero(np.r_[True, group_surveys[1:] != group_surveys[:-1]])
    unit_scores = _scores(layout, sums.astype(float), counts.astype(float), sizes)
    total_scores = _scores(
        layout,
        np.add.reduceat(sums, first, axis=0).astype(float),
        np.add.reduceat(counts, first, axis=0).astype(float),
        np.add.reduceat(sizes, first),
    )
    bounds = [*first.tolist(), len(starts)]
    for n, survey_id in enumerate(group_surveys[first].tolist()):
        scores = SurveyScores(survey_id=survey_id, total=total_scores[n])
        for g in range(bounds[n], bounds[n + 1]):
            unit = int(group_units[g])
            scores.units[None if unit == -1 else unit] = unit_scores[g]
        result[survey_id] = scores
