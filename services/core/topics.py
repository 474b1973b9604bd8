"""Topic names: the one list of what travels where."""

FNOL_INBOUND = "claims.fnol.inbound.v1"  # raw FNOL JSON from intake systems
FNOL = "claims.fnol.v1"
EXTRACTED = "claims.extracted.v1"
SCORED = "claims.scored.v1"
LINKED = "claims.linked.v1"  # with the links section: the claims graph's ring signals
ESTIMATED = "claims.estimated.v1"
DECIDED = "claims.decided.v1"
SETTLEMENT = "claims.settlement.v1"  # straight-through payments, with the decision in one transaction
FEEDBACK = "claims.feedback.v1"
DLQ = "claims.dlq.v1"

ALL = (FNOL_INBOUND, FNOL, EXTRACTED, SCORED, LINKED, ESTIMATED, DECIDED, SETTLEMENT, FEEDBACK, DLQ)
