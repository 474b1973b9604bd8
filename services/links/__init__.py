"""Links: the entities each claim names, resolved across claims into the claims graph, and the ring signals."""
