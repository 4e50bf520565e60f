"""Phase: everything a learner does is stamped before or after their first real customer
contact, decided by ``User.first_contact_at`` at the moment of the event (unset: before)."""
from __future__ import annotations

import datetime as dt

from academy.db import utcnow

BEFORE = "before_first_contact"
AFTER = "after_first_contact"
PHASES = (BEFORE, AFTER)


def phase_of(user, at: dt.datetime | None = None) -> str:
    """The phase of an event by ``user`` happening at ``at`` (now when omitted)."""
    first = user.first_contact_at
    if first is None:
        return BEFORE
    return AFTER if (at or utcnow()) >= first else BEFORE
