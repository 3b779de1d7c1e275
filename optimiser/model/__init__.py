"""The optimisation model: the builder (carriers, balances, objective), one component
module per technology, typical days with storage linking, and the HiGHS solve."""
