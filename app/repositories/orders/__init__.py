"""Orders with their stages (and the order's promise ledger): every statement over their tables.

- :mod:`.aggregate`: one order with its stages, loaded whole (locked for a change, or not),
  inserted, saved column by column; the promise ledger's rows;
- :mod:`.lists`: the desk's list of orders (filters, search, paging) and what it shows of each;
- :mod:`.queues`: the desk's queues and the workbench's cards, read over all open orders;
- :mod:`.recheck`: the orders whose next moment has come, and the claim on a stage's lapse;
- :mod:`.reports`: stages and lapses over a period.

The use cases call these and shape the answers; the statements and the rows stay here.
"""

from app.repositories.orders.aggregate import (
    LEDGER,
    ORDERS,
    STAGES,
    LedgerRecord,
    OrderRecord,
    StageRecord,
    claim_order,
    fetch_order,
    insert_ledger,
    insert_order,
    ledger_of,
    order_from_row,
    order_id_of,
    reference_of,
    save,
    stage_from_row,
)

__all__ = [
    "LEDGER",
    "ORDERS",
    "STAGES",
    "LedgerRecord",
    "OrderRecord",
    "StageRecord",
    "claim_order",
    "fetch_order",
    "insert_ledger",
    "insert_order",
    "ledger_of",
    "order_from_row",
    "order_id_of",
    "reference_of",
    "save",
    "stage_from_row",
]
