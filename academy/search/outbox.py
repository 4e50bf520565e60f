"""Writing to the index outbox. Services that change searchable content call
:func:`enqueue` in the same transaction as the change; the indexer does the rest."""
from __future__ import annotations

from sqlalchemy.orm import Session

from academy.search.models import IndexOutbox

UPSERT = "upsert"
DELETE = "delete"


def enqueue(session: Session, entity: str, entity_id: int, operation: str = UPSERT) -> None:
    """Record that ``entity`` ``entity_id`` must be (re)indexed or removed from the index."""
    if operation not in (UPSERT, DELETE):
        raise ValueError(f"unknown outbox operation {operation!r}")
    session.add(IndexOutbox(entity=entity, entity_id=entity_id, operation=operation))
    session.flush()
