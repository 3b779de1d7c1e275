"""Cost allocation over the cooperative's parties: cost games and allocation rules.

A cost game gives, for every coalition of parties, what serving that coalition costs
(:mod:`optimiser.economics.allocation.game`). Allocation rules are plain functions of a game
(:mod:`optimiser.economics.allocation.rules`), and every allocation can be checked against the
core (:func:`optimiser.economics.allocation.game.core_check`).
"""
