"""The people selectors added for the lists and filters: scoped by school and need-to-know (ROL-01)."""

from __future__ import annotations

import datetime

import time_machine

from harbour.core.tests import factories as f
from harbour.people import selectors


def test_year_groups_put_early_years_first_and_sort_numbers_as_numbers(world):
    for year in ("10", "R", "9", "N"):
        f.LearnerFactory(school=world.school, year_group=year)
    assert selectors.learner_year_groups(actor=world.dsl) == ["N", "R", "3", "4", "9", "10"]


def test_year_groups_come_only_from_visible_learners(world):
    """ROL-01: the filter must not reveal year groups of learners the teacher cannot see."""
    assert selectors.learner_year_groups(actor=world.teacher) == ["3"]
    assert selectors.learner_year_groups(actor=world.governor) == []


def test_filter_classes_are_those_with_visible_learners(world):
    assert list(selectors.learner_filter_classes(actor=world.teacher)) == [world.class_a]
    assert set(selectors.learner_filter_classes(actor=world.dsl)) == {world.class_a, world.class_b}
    assert list(selectors.learner_filter_classes(actor=world.technician)) == []


def test_learner_search_ignores_flag_for_teacher(world):
    """ROL-01: without VIEW_VULNERABILITY a flag filter narrows nothing, so it reveals nothing."""
    plain = f.LearnerFactory(school=world.school, school_class=world.class_a)
    assert set(selectors.learner_search(actor=world.teacher, flag="looked_after")) == {world.learner, plain}
    assert list(selectors.learner_search(actor=world.dsl, flag="looked_after")) == [world.learner]


@time_machine.travel(datetime.date(2025, 3, 1))
def test_staff_search_by_status(world):
    gone = f.StaffMemberFactory(school=world.school, left_on=datetime.date(2024, 12, 20))
    leaving = f.StaffMemberFactory(school=world.school, left_on=datetime.date(2025, 7, 18))
    current = set(selectors.staff_search(actor=world.teacher))
    assert leaving in current
    assert gone not in current
    assert list(selectors.staff_search(actor=world.teacher, status="left")) == [gone]
    assert {gone, leaving} <= set(selectors.staff_search(actor=world.teacher, status="all"))


def test_staff_search_matches_job_title_and_stays_in_school(world):
    mine = f.StaffMemberFactory(school=world.school, job_title="Computing lead")
    f.StaffMemberFactory(school=world.other_school, job_title="Computing lead")
    assert list(selectors.staff_search(actor=world.teacher, query="computing")) == [mine]


def test_staff_search_is_empty_for_governor(world):
    assert not selectors.staff_search(actor=world.governor).exists()


def test_class_counts_leave_out_leavers_and_former_teachers(world):
    f.LearnerFactory(school=world.school, school_class=world.class_a, left_on=datetime.date(2024, 7, 19))
    former = f.StaffMemberFactory(school=world.school, left_on=datetime.date(2024, 7, 19))
    world.class_a.teachers.add(former)
    school_class = selectors.class_get_with_counts(actor=world.teacher, pk=world.class_a.pk)
    assert school_class.on_roll == 1
    assert former not in school_class.current_teachers
    assert len(school_class.current_teachers) == 1


def test_class_counts_stay_in_school(world):
    names = {c.name for c in selectors.class_list_with_counts(actor=world.outsider)}
    assert names == {"3 Elm"}
