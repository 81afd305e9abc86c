"""Breaks: idle gaps inside an attendee's agenda, the measure of a compact schedule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from app.scheduling.types import Slot


def count_breaks(slots_of_attendee: Iterable[int], slots: Sequence[Slot]) -> int:
    """Count the breaks of one attendee: maximal runs of idle slots between two of their meetings.

    Only gaps inside one session count; the time between sessions is not a break.

    Parameters
    ----------
    slots_of_attendee:
        Slot indices the attendee meets in (duplicates are ignored).
    slots:
        All slots of the event; ``slots[i].index == i``.

    Returns
    -------
    int
        The number of breaks.

    Example
    -------
    >>> day = [Slot(index=i, session=0 if i < 4 else 1) for i in range(8)]
    >>> count_breaks([0, 2, 3], day), count_breaks([0, 1, 5], day), count_breaks([3, 4], day)
    (1, 0, 0)
    """
    ordered = sorted(set(slots_of_attendee))
    return sum(
        1
        for before, after in zip(ordered, ordered[1:], strict=False)
        if after > before + 1 and slots[before].session == slots[after].session
    )


def breaks_by_attendee(slots_by_attendee: Mapping[int, Iterable[int]], slots: Sequence[Slot]) -> dict[int, int]:
    """Breaks of every attendee that has at least one meeting.

    Parameters
    ----------
    slots_by_attendee:
        Attendee id to the slots they meet in; attendees without meetings may be left out.
    slots:
        All slots of the event.

    Returns
    -------
    dict
        Attendee id to number of breaks, for attendees with meetings only.

    Example
    -------
    >>> day = [Slot(index=i, session=0) for i in range(4)]
    >>> breaks_by_attendee({7: [0, 3], 8: [], 9: [1, 2]}, day)
    {7: 1, 9: 0}
    """
    listed = {attendee: list(taken) for attendee, taken in slots_by_attendee.items()}
    return {attendee: count_breaks(taken, slots) for attendee, taken in listed.items() if taken}


def break_spread(breaks: Mapping[int, int]) -> int:
    """Spread of breaks: most minus fewest breaks over the attendees given (0 when none).

    Example
    -------
    >>> break_spread({1: 2, 2: 0, 3: 1}), break_spread({})
    (2, 0)
    """
    return max(breaks.values()) - min(breaks.values()) if breaks else 0
