"""A large cached value written as the changes since it was last written whole
(feeds/cache_changes.py): applied to the old value, the changes give the new one exactly,
and leave the old one as it was."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.cache_changes import dict_changes, lists_changes, splice, with_dict_changes, with_lists_changes, with_splice

PATHS = st.sampled_from([f"items/{number}.yaml" for number in range(12)])
RECORDS = st.tuples(st.integers(0, 3), st.text(max_size=3))
PATH_LISTS = st.lists(PATHS, max_size=12)


@st.composite
def edited_dicts(draw: st.DrawFn) -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]]]:
    """A dict and the same dict after some keys went, some values were replaced (by equal
    values too: new objects) and some keys were added, as a rebuild changes its records."""
    base = draw(st.dictionaries(PATHS, RECORDS))
    new = {key: value for key, value in base.items() if draw(st.booleans())}
    for key in draw(st.lists(PATHS)):
        new[key] = tuple(draw(RECORDS)) if draw(st.booleans()) else tuple(list(base.get(key, (0, ""))))
    return base, new


@given(edited_dicts())
def test_a_dicts_changes_applied_give_the_new_dict_and_leave_the_old_one(dicts):
    base, new = dicts
    before = copy.copy(base)
    assert with_dict_changes(base, *dict_changes(base, new)) == new
    assert base == before and all(base[key] is before[key] for key in base)


@given(edited_dicts())
def test_a_dicts_changes_name_only_the_values_that_are_not_the_old_objects(dicts):
    base, new = dicts
    changed, gone = dict_changes(base, new)
    assert changed == {key: value for key, value in new.items() if base.get(key) is not value}
    assert sorted(gone) == sorted(base.keys() - new.keys())


@given(PATH_LISTS, PATH_LISTS)
def test_a_splice_applied_gives_the_new_list(base, new):
    start, stop, middle = splice(base, new)
    assert with_splice(base, start, stop, middle) == new
    assert len(middle) <= len(new) and stop - start <= len(base)


def test_a_splice_carries_only_the_run_that_differs():
    base = [f"items/{number}.yaml" for number in range(5_000)]
    new = ["items/new.yaml", *base[:2_000], *base[2_001:]]
    assert splice(base, new) == (0, 2_001, ["items/new.yaml", *base[:2_000]])
    assert splice(base, [*base[:3_000], "items/new.yaml", *base[3_000:]]) == (3_000, 3_000, ["items/new.yaml"])
    assert splice(base, list(base)) == (5_000, 5_000, [])


@given(st.dictionaries(st.text(max_size=2), PATH_LISTS), st.dictionaries(st.text(max_size=2), PATH_LISTS))
def test_lists_changes_applied_give_the_new_lists_and_leave_the_old_ones(base, edits):
    new = {**{key: value for key, value in base.items() if key not in edits}, **edits}
    before = copy.deepcopy(base)
    assert with_lists_changes(base, *lists_changes(base, new)) == new
    assert base == before


def test_lists_changes_leave_out_the_lists_that_are_the_old_objects():
    base = {"": ["items/a.yaml", "items/b.yaml"], "categories/sport/": ["items/b.yaml"]}
    new = {**base, "": ["items/c.yaml", *base[""]]}
    assert lists_changes(base, new) == ({"": (0, 0, ["items/c.yaml"])}, [])


def test_a_splice_that_does_not_fit_the_list_is_refused():
    with pytest.raises(ValueError, match=r"^a splice of 0:2 does not fit 1 elements$"):
        with_splice(["items/a.yaml"], 0, 2, [])
