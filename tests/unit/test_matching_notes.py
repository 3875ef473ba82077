"""Which release notes concern the figures on screen (components.matching_notes)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.ui.components import matching_notes

SCOPE = ("year", "geo_version", "level", "unit_code", "service", "indicator")


def _notes(*scopes: dict) -> pd.DataFrame:
    rows = [{"note_id": f"n{i}", **{c: s.get(c) for c in SCOPE}} for i, s in enumerate(scopes)]
    return pd.DataFrame(rows).astype({"year": "Int16"})


FRAME = pd.DataFrame({"year": [2023, 2024, 2024], "geo_version": ["vn63"] * 3, "level": ["province"] * 3,
                      "unit_code": ["01", "01", "79"], "service": ["admin", "admin", "health"],
                      "indicator": ["index"] * 3, "value": [80.0, 81.0, 70.0]})


def test_a_note_matches_when_one_figure_is_in_its_whole_scope():
    notes = _notes({}, {"year": 2024}, {"year": 2023, "unit_code": "79"}, {"service": "health", "unit_code": "79"},
                   {"level": "district"}, {"year": 2025})
    assert list(matching_notes(notes, FRAME)["note_id"]) == ["n0", "n1", "n3"]


def test_no_figures_no_notes():
    notes = _notes({}, {"year": 2024})
    assert matching_notes(notes, FRAME.iloc[0:0]).empty
    assert matching_notes(notes, None).empty


def test_same_answer_as_comparing_every_row():
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"year": rng.choice([2022, 2023, 2024], 300), "geo_version": "vn63",
                          "level": rng.choice(["province", "district"], 300),
                          "unit_code": rng.choice(["01", "79", "001", "760"], 300),
                          "service": rng.choice(["admin", "health", "water"], 300),
                          "indicator": rng.choice(["index", "access"], 300)})
    scopes = [{c: (None if rng.random() < 0.6 else frame[c].iloc[rng.integers(300)]) for c in SCOPE} for _ in range(60)]
    scopes += [{"unit_code": "999"}, {"service": "roads", "year": 2022}]
    notes = _notes(*scopes)
    records = frame.to_dict("records")
    expected = [any(all(s.get(c) is None or row[c] == s[c] for c in SCOPE) for row in records) for s in scopes]
    assert 0 < sum(expected) < len(expected)
    assert list(matching_notes(notes, frame)["note_id"]) == [f"n{i}" for i, keep in enumerate(expected) if keep]


def test_a_note_about_a_survey_matches_only_that_surveys_figures():
    notes = pd.DataFrame([{"note_id": "own", "survey_id": "angiang-2021", "level": "district"},
                          {"note_id": "all", "survey_id": None, "level": None}])
    districts = FRAME.assign(level="district", survey_id=["angiang-2021", "sipas", "sipas"])
    assert list(matching_notes(notes, districts)["note_id"]) == ["own", "all"]
    assert list(matching_notes(notes, districts.iloc[1:])["note_id"]) == ["all"]
    # Figures that name no survey (a release without survey_id) never match a survey's note.
    assert list(matching_notes(notes, FRAME.assign(level="district"))["note_id"]) == ["all"]
